#pragma once

// Holds, or waits for, the leader's lease of a cluster (a row in PostgreSQL
// with a fencing token, db/cluster_repository.hpp), and tells this node's
// leader gates whether to run their singletons.
//
// Every third of the lease's ttl it runs one short transaction: this node's
// heartbeat, a claim (take the lease if free or run out, renew it if ours)
// and the live nodes. Its own term (domain/cluster/leader_term.hpp) ends at
// the deadline the last grant allows, answer or not, so a node cut off from
// the database, or paused, stops its singletons before another can take
// over. On a stop it gives the lease up, so the next node need not wait.
//
// Messages: (leader_subscribe, caf::actor) -> that actor gets (leadership,
// token) now and at each change (0: not the leader); readiness_atom ->
// readiness_report (always ready: a follower is a healthy node).
// Metrics: cluster_metrics.hpp.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <string>

#include "actors/child_spec.hpp"
#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::cluster {

struct leader_elector_config {
  std::string node;
  std::string address;  // shown in cluster_nodes: the node's cluster address
  std::chrono::milliseconds lease_ttl{std::chrono::seconds(6)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // needs wiring.fence
};

caf::actor spawn_leader_elector(caf::actor_system& sys, leader_elector_config cfg);

// The elector as a child of the root, for settings.cluster.
supervision::child_spec leader_elector_child(const config::settings& settings,
                                             const components& wiring,
                                             metrics::registry& registry = metrics::global());

}  // namespace vpnbot::cluster
