#pragma once

// The database pool's and workers' metrics, declared once (docs/METRICS.md,
// "Storage").

#include "adapters/metrics/family.hpp"

namespace vpnbot::storage {

struct storage_metrics {
  explicit storage_metrics(metrics::registry& r)
      : queue_depth(r, "vpnbot_db_queue_depth", "Database calls waiting"),
        in_flight(r, "vpnbot_db_in_flight", "Database calls running"),
        refused(r, "vpnbot_db_refused_total", "Database calls refused because the queue was full"),
        reconnects(r, "vpnbot_db_reconnects_total", "Database connections re-opened"),
        query_seconds(r, "vpnbot_db_query_duration_seconds",
                      "Time of one database call (one transaction)", {"query"}),
        errors(r, "vpnbot_db_errors_total", "Failed database calls", {"query", "kind"}),
        commits(r, "vpnbot_db_commits_total",
                "Transactions committed (a group commit counts once)"),
        group_reruns(r, "vpnbot_db_group_reruns_total",
                     "Calls of a group commit run again alone (conflict or failed COMMIT)"),
        merged_calls(r, "vpnbot_db_merged_calls_total",
                     "Calls of a group commit answered together by one merged run") {}

  metrics::gauge_family queue_depth;
  metrics::gauge_family in_flight;
  metrics::counter_family refused;
  metrics::counter_family reconnects;
  metrics::histogram_family query_seconds;
  metrics::counter_family errors;
  metrics::counter_family commits;
  metrics::counter_family group_reruns;
  metrics::counter_family merged_calls;
};

}  // namespace vpnbot::storage
