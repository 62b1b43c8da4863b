#pragma once

// This node's door to the others, over CAF's middleman (BASP over TCP): it
// publishes itself at cluster.listen, connects to cluster.seeds (again and
// again until they answer), and greets every peer it meets with its node
// name, so each side knows the other's router by name and monitors it (a
// node killed is noticed as soon as its connection drops).
//
// It routes the kicks that tell an actor there is work in the database:
//   * a session kick (an update stored here, by a webhook) goes to the
//     user's owner: rendezvous hashing (domain/cluster/rendezvous.hpp) over
//     the nodes the elector saw alive in PostgreSQL that are this node or a
//     connected peer. The database stays the truth (the update is stored
//     first, a session handles it under the user's row lock wherever it
//     runs), so a kick lost with a node costs time, not an update;
//   * an outbox kick on a node that does not lead (its outbox does not
//     run) goes to the leader's router.
// A peer that goes away has the surviving nodes look for updates left
// unhandled (recover_sessions): its users are theirs now.
//
// Messages: (session_kick_atom, user) and (outbox_kick_atom, ids) from
// components.hpp; (cluster_view_atom, live nodes, leader) from the elector;
// (cluster_hello_atom, name, router), (cluster_kick_atom, user) and
// (cluster_outbox_atom, ids) from peers.
// Metrics: vpnbot_cluster_forwarded_total{to}, vpnbot_cluster_peers.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "actors/child_spec.hpp"
#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::cluster {

struct node_router_config {
  std::string node;
  std::string listen_host;
  uint16_t listen_port = 0;
  std::vector<std::string> seeds;  // host:port
  std::chrono::milliseconds reconnect{std::chrono::seconds(1)};
  metrics::registry* registry = &metrics::global();
  components wiring;
};

caf::actor spawn_node_router(caf::actor_system& sys, node_router_config cfg);

supervision::child_spec node_router_child(const config::settings& settings,
                                          const components& wiring,
                                          metrics::registry& registry = metrics::global());

}  // namespace vpnbot::cluster
