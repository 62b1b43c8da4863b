#include "actors/cluster/node_router.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <map>
#include <memory>
#include <set>

#include "actors/actor_probe.hpp"
#include "actors/cluster/cluster_metrics.hpp"
#include "adapters/log/logger.hpp"
#include "config/schema/value_text.hpp"
#include "domain/cluster/rendezvous.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::cluster {
namespace {

constexpr const char* node_router_component = "cluster";
constexpr auto call_timeout = std::chrono::seconds(5);

struct seed {
  std::string host;
  uint16_t port = 0;
  bool connecting = false;
  caf::actor_addr peer;  // the router met there, while connected
};

struct router_state {
  node_router_config cfg;
  std::vector<seed> seeds;
  std::map<std::string, caf::actor> peers;  // by node name
  std::vector<std::string> live;            // the elector's view (PostgreSQL)
  std::string leader;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<cluster_metrics> metrics;
};

using node_router_actor_t = caf::stateful_actor<router_state>;

void hello(node_router_actor_t* self, const caf::actor& peer) {
  self->send(peer, cluster_hello_atom_v, self->state.cfg.node, caf::actor_cast<caf::actor>(self));
}

void connect(node_router_actor_t* self, size_t i) {
  auto& s = self->state.seeds[i];
  if (s.connecting || s.peer) return;
  s.connecting = true;
  auto mm = self->system().middleman().actor_handle();
  self->request(mm, call_timeout, caf::connect_atom_v, s.host, s.port)
      .then(
          [self, i](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
            auto& s = self->state.seeds[i];
            s.connecting = false;
            auto peer = caf::actor_cast<caf::actor>(ptr);
            if (!peer) return;
            s.peer = peer.address();
            self->monitor(peer);
            hello(self, peer);
          },
          [self, i](caf::error&) { self->state.seeds[i].connecting = false; });
}

// The nodes a kick may go to: alive in the database and reachable (this
// node, or a connected peer). Before the first view: this node alone.
std::vector<std::string> routable(const router_state& st) {
  std::vector<std::string> out{st.cfg.node};
  for (const auto& n : st.live)
    if (n != st.cfg.node && st.peers.count(n)) out.push_back(n);
  return out;
}

// The session manager keeps only the sessions of users this node owns.
void tell_sessions(node_router_actor_t* self) {
  auto& st = self->state;
  if (auto sessions = st.cfg.wiring.sessions->get())
    self->send(sessions, cluster_view_atom_v, routable(st), st.cfg.node);
}

void kick_here(node_router_actor_t* self, int64_t user) {
  if (auto sessions = self->state.cfg.wiring.sessions->get())
    self->send(sessions, session_kick_atom_v, user);
}

void route_session(node_router_actor_t* self, int64_t user) {
  auto& st = self->state;
  auto owner = owner_of(user, routable(st));
  if (owner == st.cfg.node) return kick_here(self, user);
  st.metrics->forwarded.with({owner}).inc();
  self->send(st.peers.at(owner), cluster_kick_atom_v, user);
}

void route_outbox(node_router_actor_t* self, std::vector<int64_t> ids) {
  auto& st = self->state;
  if (auto outbox = st.cfg.wiring.outbox->get())
    return self->send(outbox, outbox_kick_atom_v, std::move(ids));
  auto leader = st.peers.find(st.leader);
  // No leader in reach: its outbox's sweep finds the rows.
  if (leader == st.peers.end()) return;
  st.metrics->forwarded.with({st.leader}).inc();
  self->send(leader->second, cluster_outbox_atom_v, std::move(ids));
}

void peer_lost(node_router_actor_t* self, const caf::actor_addr& who) {
  auto& st = self->state;
  for (auto& s : st.seeds)
    if (s.peer == who) s.peer = caf::actor_addr{};
  for (auto it = st.peers.begin(); it != st.peers.end(); ++it) {
    if (it->second.address() != who) continue;
    log::warn(node_router_component, "lost the connection to a node", {{"node", it->first}});
    st.peers.erase(it);
    st.metrics->peers().set(static_cast<double>(st.peers.size()));
    tell_sessions(self);
    // Its users are owned here or by another survivor now.
    st.cfg.wiring.recover_sessions();
    return;
  }
}

caf::behavior router(node_router_actor_t* self, node_router_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("cluster_router", *st.cfg.registry);
  st.metrics = std::make_unique<cluster_metrics>(*st.cfg.registry);
  st.metrics->peers().set(0);
  for (const auto& text : st.cfg.seeds) {
    seed s;
    if (!config::parse_host_port(text, s.host, s.port)) st.seeds.push_back(s);
  }
  self->set_down_handler([self](caf::down_msg& down) { peer_lost(self, down.source); });
  auto mm = self->system().middleman().actor_handle();
  self->request(mm, call_timeout, caf::publish_atom_v, st.cfg.listen_port,
                caf::actor_cast<caf::strong_actor_ptr>(self), std::set<std::string>{},
                st.cfg.listen_host, true)
      .then(
          [self](uint16_t port) {
            auto& st = self->state;
            log::info(node_router_component, "cluster address open",
                      {{"node", st.cfg.node}, {"address", st.cfg.listen_host}, {"port", port}});
            publish(self, st.cfg.wiring.router);
            self->send(self, tick_atom_v);
          },
          [self](caf::error& e) {
            log::error(node_router_component, "cannot open the cluster address (cluster.listen)",
                       {{"error", to_string(e)}});
            self->quit(std::move(e));
          });
  return {
      instrumented(self, *st.probe,
                   [self](tick_atom) {
                     for (size_t i = 0; i < self->state.seeds.size(); ++i) connect(self, i);
                     self->delayed_send(self, self->state.cfg.reconnect, tick_atom_v);
                   }),
      instrumented(self, *st.probe,
                   [self](cluster_hello_atom, const std::string& name, const caf::actor& peer) {
                     auto& st = self->state;
                     if (name == st.cfg.node || !peer) return;
                     auto known = st.peers.find(name);
                     if (known != st.peers.end() && known->second == peer) return;
                     st.peers[name] = peer;
                     self->monitor(peer);
                     hello(self, peer);
                     st.metrics->peers().set(static_cast<double>(st.peers.size()));
                     log::info(node_router_component, "connected to a node", {{"node", name}});
                     tell_sessions(self);
                   }),
      instrumented(self, *st.probe,
                   [self](cluster_view_atom, std::vector<std::string>& live, std::string& leader) {
                     auto& st = self->state;
                     // A node gone silent (dead, or paused) may hold kicks
                     // it will not act on: its users are the survivors' now.
                     bool lost = std::any_of(st.live.begin(), st.live.end(), [&](const auto& n) {
                       return std::find(live.begin(), live.end(), n) == live.end();
                     });
                     st.live = std::move(live);
                     st.leader = std::move(leader);
                     if (lost) st.cfg.wiring.recover_sessions();
                     tell_sessions(self);
                   }),
      instrumented(self, *st.probe,
                   [self](session_kick_atom, int64_t user) { route_session(self, user); }),
      instrumented(self, *st.probe,
                   [self](outbox_kick_atom, std::vector<int64_t>& ids) {
                     route_outbox(self, std::move(ids));
                   }),
      instrumented(self, *st.probe,
                   [self](cluster_kick_atom, int64_t user) { kick_here(self, user); }),
      instrumented(self, *st.probe,
                   [self](cluster_outbox_atom, std::vector<int64_t>& ids) {
                     if (auto outbox = self->state.cfg.wiring.outbox->get())
                       self->send(outbox, outbox_kick_atom_v, std::move(ids));
                   }),
  };
}

}  // namespace

caf::actor spawn_node_router(caf::actor_system& sys, node_router_config cfg) {
  return sys.spawn(router, std::move(cfg));
}

supervision::child_spec node_router_child(const config::settings& settings,
                                          const components& wiring, metrics::registry& registry) {
  node_router_config cfg;
  cfg.node = settings.service.node_name;
  cfg.listen_host = settings.cluster.listen_host;
  cfg.listen_port = settings.cluster.listen_port;
  cfg.seeds = settings.cluster.seeds;
  cfg.registry = &registry;
  cfg.wiring = wiring;
  supervision::child_spec c;
  c.name = "router";
  c.start = [cfg](caf::local_actor* sup) { return spawn_node_router(sup->system(), cfg); };
  return c;
}

}  // namespace vpnbot::cluster
