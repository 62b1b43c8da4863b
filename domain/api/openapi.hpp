#pragma once

// The OpenAPI 3.1 document of the admin API, built from the route table,
// so it lists exactly the routes that exist.

#include <nlohmann/json.hpp>
#include <vector>

#include "domain/api/api_route.hpp"

namespace vpnbot::api {

inline constexpr const char* openapi_path = "/api/v1/openapi.json";

nlohmann::json openapi_document(const std::vector<api_route>& routes);

}  // namespace vpnbot::api
