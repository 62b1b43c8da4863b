#include "adapters/http/server_metrics.hpp"

#include <array>

namespace vpnbot::http {

std::string method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known{"GET",    "HEAD",    "POST", "PUT",
                                                         "DELETE", "OPTIONS", "PATCH"};
  for (auto m : known)
    if (m == method) return std::string(m);
  return "other";
}

server_metrics::server_metrics(metrics::registry& registry)
    : requests_(registry, "vpnbot_http_requests_total",
                "HTTP requests served, by route and status.", {"route", "method", "status"}),
      duration_(registry, "vpnbot_http_request_duration_seconds",
                "Time from a complete request to its response, seconds.", {"route"}),
      open_(registry, "vpnbot_http_connections_open", "Open connections to the HTTP server."),
      rejected_(registry, "vpnbot_http_connections_rejected_total",
                "Connections answered 503 and closed because max_connections were open."),
      evicted_(registry, "vpnbot_http_connections_evicted_total",
               "Idle keep-alive connections closed to make room for new ones."),
      connections_open(open_()),
      connections_rejected(rejected_()),
      connections_evicted(evicted_()) {}

void server_metrics::count_request(const std::string& route, std::string_view method, int status) {
  requests_.with({route, method_label(method), std::to_string(status)}).inc();
}

void server_metrics::observe_duration(const std::string& route, double seconds) {
  duration_.with({route}).observe(seconds);
}

}  // namespace vpnbot::http
