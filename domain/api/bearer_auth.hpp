#pragma once

// The API's one credential: "Authorization: Bearer <api.token>". The
// comparison takes the same time whatever the guess (both sides are
// hashed first, so not even the token's length shows).

#include <string>

#include "messages/http.hpp"

namespace vpnbot::api {

bool bearer_matches(const http_request& req, const std::string& token);

}  // namespace vpnbot::api
