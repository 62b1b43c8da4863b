#pragma once

// The supervisors' metrics, declared once (docs/METRICS.md, "Supervision").

#include "adapters/metrics/family.hpp"

namespace vpnbot::supervision {

struct supervisor_metrics {
  explicit supervisor_metrics(metrics::registry& r)
      : children_running(r, "vpnbot_supervisor_children_running",
                         "Children of a supervisor that are running", {"supervisor"}),
        escalations(r, "vpnbot_supervisor_escalations_total",
                    "Times a supervisor exceeded its restart intensity and gave up",
                    {"supervisor"}),
        child_up(r, "vpnbot_supervisor_child_up", "1 while a supervised child is running",
                 {"supervisor", "child"}),
        restarts(r, "vpnbot_supervisor_restarts_total", "Restarts of a supervised child",
                 {"supervisor", "child"}) {}

  metrics::gauge_family children_running;
  metrics::counter_family escalations;
  metrics::gauge_family child_up;
  metrics::counter_family restarts;
};

}  // namespace vpnbot::supervision
