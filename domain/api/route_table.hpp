#pragma once

// Every admin API route, and matching a request against them.

#include <optional>
#include <string>
#include <vector>

#include "domain/api/api_route.hpp"

namespace vpnbot::api {

// Everything the API serves lives below this prefix; the HTTP server hands
// the whole subtree to the API actor.
inline constexpr const char* path_prefix = "/api/v1/";

void add_stats_routes(std::vector<api_route>& routes);
void add_user_routes(std::vector<api_route>& routes);
void add_payment_routes(std::vector<api_route>& routes);
void add_webhook_event_routes(std::vector<api_route>& routes);
void add_broadcast_routes(std::vector<api_route>& routes);
void add_promo_code_routes(std::vector<api_route>& routes);
void add_document_routes(std::vector<api_route>& routes);

const std::vector<api_route>& routes();

struct route_match {
  const api_route* route = nullptr;  // null: see `allowed`
  std::map<std::string, std::string> params;
  // With no route: the methods the path has (empty: unknown path, 404; else 405).
  std::vector<std::string> allowed;
};

route_match match_route(const std::vector<api_route>& table, const std::string& method,
                        const std::string& path);

}  // namespace vpnbot::api
