#pragma once

// The periodic workers' metrics, declared once (docs/METRICS.md, "Workers");
// every series is labelled with the worker's name.

#include "adapters/metrics/family.hpp"

namespace vpnbot::workers {

struct worker_metrics {
  explicit worker_metrics(metrics::registry& r)
      : iteration_seconds(r, "vpnbot_worker_iteration_seconds", "Duration of one worker iteration",
                          {"worker"}),
        failures(r, "vpnbot_worker_failures_total", "Worker iterations that failed", {"worker"}),
        lease_held(r, "vpnbot_worker_lease_held",
                   "1 while this node runs the workers (cluster lease)", {"worker"}),
        items(r, "vpnbot_worker_items_total", "Items a worker handled", {"worker"}),
        last_success(r, "vpnbot_worker_last_success_timestamp_seconds",
                     "Time of the last successful iteration (the worker's clock)", {"worker"}) {}

  metrics::histogram_family iteration_seconds;
  metrics::counter_family failures;
  metrics::gauge_family lease_held;
  metrics::counter_family items;
  metrics::gauge_family last_success;
};

}  // namespace vpnbot::workers
