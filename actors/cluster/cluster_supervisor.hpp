#pragma once

// The cluster's subtree of the root, present when [cluster] listen is set:
// the leader elector, then the node router (one_for_one: either restarts
// alone; the gates and the kicks find them through their slots).

#include "actors/child_spec.hpp"
#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::cluster {

supervision::child_spec cluster_child(const config::settings& settings, const components& wiring,
                                      metrics::registry& registry = metrics::global());

}  // namespace vpnbot::cluster
