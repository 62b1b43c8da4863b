#pragma once

// The HTTP client's metrics, declared once (docs/METRICS.md, "HTTP"). The
// target is the caller's name for the remote side, never a URL.

#include "adapters/metrics/family.hpp"

namespace vpnbot::http {

struct client_metrics {
  explicit client_metrics(metrics::registry& r)
      : requests(r, "vpnbot_http_client_requests_total", "Outgoing HTTP calls by outcome.",
                 {"target", "outcome"}),
        duration(r, "vpnbot_http_client_duration_seconds",
                 "Duration of outgoing HTTP calls, seconds.", {"target"}),
        connections(r, "vpnbot_http_client_connections_total",
                    "Connections outgoing HTTP calls used: opened or reused keep-alive.",
                    {"target", "reuse"}) {}

  metrics::counter_family requests;
  metrics::histogram_family duration;
  metrics::counter_family connections;
};

}  // namespace vpnbot::http
