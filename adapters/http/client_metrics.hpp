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
                 "Duration of outgoing HTTP calls, seconds.", {"target"}) {}

  metrics::counter_family requests;
  metrics::histogram_family duration;
};

}  // namespace vpnbot::http
