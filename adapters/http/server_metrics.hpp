#pragma once

// The HTTP server's series, shared by the listener (connections, requests it
// refuses itself) and the http_server actor (routed requests). Labels stay
// bounded: the route is a registered path or "unmatched", the method one of
// the standard verbs or "other".

#include <string>
#include <string_view>

#include "adapters/metrics/family.hpp"

namespace vpnbot::http {

std::string method_label(std::string_view method);

class server_metrics {
 public:
  explicit server_metrics(metrics::registry& registry);

  void count_request(const std::string& route, std::string_view method, int status);
  void observe_duration(const std::string& route, double seconds);

 private:
  metrics::counter_family requests_;
  metrics::histogram_family duration_;
  metrics::gauge_family open_;
  metrics::counter_family rejected_;
  metrics::counter_family evicted_;

 public:
  metrics::gauge& connections_open;
  metrics::counter& connections_rejected;
  metrics::counter& connections_evicted;
};

}  // namespace vpnbot::http
