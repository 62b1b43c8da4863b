#pragma once

// The cluster's metrics on each node (docs/METRICS.md, "Cluster").

#include "adapters/metrics/family.hpp"

namespace vpnbot::cluster {

struct cluster_metrics {
  explicit cluster_metrics(metrics::registry& r)
      : leader(r, "vpnbot_cluster_leader", "1 while this node holds the leader's lease, else 0"),
        members(r, "vpnbot_cluster_members",
                "Live nodes this node sees (itself included), by their heartbeats"),
        term(r, "vpnbot_cluster_term", "Fencing token of the term this node leads; 0 if none"),
        role_changes(r, "vpnbot_cluster_role_changes_total",
                     "Times this node became leader or stepped down", {"to"}),
        claims(r, "vpnbot_cluster_lease_claims_total",
               "Claims or renewals of the leader's lease, by outcome", {"outcome"}),
        peers(r, "vpnbot_cluster_peers", "Other nodes this node is connected to (middleman)"),
        forwarded(r, "vpnbot_cluster_forwarded_total",
                  "Kicks this node's router sent to another node, by node", {"to"}),
        sessions_owned(r, "vpnbot_cluster_sessions_owned",
                       "Session actors this node runs, for users it owns") {}

  metrics::gauge_family leader;
  metrics::gauge_family members;
  metrics::gauge_family term;
  metrics::counter_family role_changes;
  metrics::counter_family claims;
  metrics::gauge_family peers;
  metrics::counter_family forwarded;
  metrics::gauge_family sessions_owned;
};

}  // namespace vpnbot::cluster
