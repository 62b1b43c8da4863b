#pragma once

// The HTTP server's series, shared by the listener (connections, requests it
// refuses itself) and the http_server actor (routed requests). Labels stay
// bounded: the route is a registered path or "unmatched", the method one of
// the standard verbs or "other".

#include <string>
#include <string_view>

#include "adapters/metrics/registry.hpp"

namespace vpnbot::http {

std::string method_label(std::string_view method);

class server_metrics {
 public:
  explicit server_metrics(metrics::registry& registry);

  void count_request(const std::string& route, std::string_view method, int status);
  void observe_duration(const std::string& route, double seconds);

  metrics::gauge& connections_open;
  metrics::counter& connections_rejected;

 private:
  metrics::registry& registry_;
};

}  // namespace vpnbot::http
