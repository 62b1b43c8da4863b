#include "actors/cluster/leader_elector.hpp"

#include <caf/all.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "actors/actor_probe.hpp"
#include "actors/cluster/cluster_board.hpp"
#include "actors/cluster/cluster_metrics.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/cluster_repository.hpp"
#include "adapters/log/logger.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "domain/cluster/leader_term.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::cluster {
namespace {

constexpr const char* leader_elector_component = "cluster";

struct claim_answer {
  std::optional<int64_t> token;
  std::vector<db::cluster_node> nodes;
};

struct elector_state {
  leader_elector_config cfg;
  leader_term term;
  bool claiming = false;
  bool claims_failing = false;
  std::vector<caf::actor> subscribers;
  std::vector<std::string> live;  // the last claim's view
  std::string leader_node;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<cluster_metrics> metrics;
};

using leader_elector_actor_t = caf::stateful_actor<elector_state>;

std::chrono::milliseconds period(const leader_elector_config& cfg) {
  return cfg.lease_ttl / 3;
}

void write_board(leader_elector_actor_t* self) {
  auto& st = self->state;
  if (!st.cfg.wiring.board) return;
  st.cfg.wiring.board->set({{"node", st.cfg.node},
                            {"leader", st.term.leader()},
                            {"term", st.term.token},
                            {"leader_node", st.leader_node},
                            {"members", st.live}});
}

// The fence first: a singleton's next transaction already sees the new
// term (or none) before its gate hears of it.
void changed(leader_elector_actor_t* self) {
  auto& st = self->state;
  auto token = st.term.token;
  st.cfg.wiring.fence->set_token(token);
  st.metrics->leader().set(token != 0 ? 1 : 0);
  st.metrics->term().set(static_cast<double>(token));
  st.metrics->role_changes.with({token != 0 ? "leader" : "follower"}).inc();
  if (token != 0)
    log::info(leader_elector_component, "this node leads the cluster",
              {{"node", st.cfg.node}, {"term", token}});
  else
    log::warn(leader_elector_component, "this node stepped down; another node leads the cluster",
              {{"node", st.cfg.node}});
  for (const auto& s : st.subscribers) self->send(s, leadership_atom_v, token);
  // Stepping down by the clock: who leads now is unknown until the next claim.
  if (token == 0 && st.leader_node == st.cfg.node) st.leader_node.clear();
  write_board(self);
  // Updates the last leader stored but did not handle are this node's now.
  if (token != 0) st.cfg.wiring.recover_sessions();
}

void watch_deadline(leader_elector_actor_t* self) {
  auto& st = self->state;
  if (!st.term.leader()) return;
  auto left = st.term.until - self->clock().now();
  self->delayed_send(self, std::max(left, decltype(left)::zero()), lease_check_atom_v);
}

void claim(leader_elector_actor_t* self) {
  auto& st = self->state;
  if (st.claiming) return;
  st.claiming = true;
  auto asked = self->clock().now();
  storage::db_request<claim_answer>(
      self, st.cfg.wiring.db, "cluster.claim",
      [node = st.cfg.node, address = st.cfg.address,
       ttl = st.cfg.lease_ttl](pqxx::dbtransaction& tx) {
        // A lease row locked by a paused node's transaction must not hold
        // this claim (and its connection) past the claim's own deadline.
        tx.exec("SET LOCAL lock_timeout = " + std::to_string(ttl.count() / 3));
        db::record_heartbeat(tx, node, address);
        claim_answer a;
        a.token = db::claim_leadership(tx, node, ttl);
        a.nodes = db::live_nodes(tx, ttl);
        return a;
      },
      period(st.cfg),
      [self, asked](caf::expected<claim_answer> answer) {
        auto& st = self->state;
        st.claiming = false;
        auto now = self->clock().now();
        if (!answer) {
          st.metrics->claims.with({"failed"}).inc();
          if (!st.claims_failing)
            log::warn(leader_elector_component, "could not claim or renew the leader's lease",
                      {{"error", to_string(answer.error())}});
          st.claims_failing = true;
          if (st.term.on_clock(now)) changed(self);
          return;
        }
        st.claims_failing = false;
        st.metrics->claims.with({answer->token ? "held" : "standby"}).inc();
        st.metrics->members().set(static_cast<double>(answer->nodes.size()));
        if (st.term.on_claim(asked, now, answer->token)) changed(self);
        watch_deadline(self);
        st.live.clear();
        st.leader_node.clear();
        for (const auto& n : answer->nodes) {
          st.live.push_back(n.name);
          if (n.leader) st.leader_node = n.name;
        }
        write_board(self);
        if (auto router = st.cfg.wiring.router->get())
          self->send(router, cluster_view_atom_v, st.live, st.leader_node);
      });
}

// A stopping node gives the lease up, so another need not wait for it to run out.
void step_down_and_quit(leader_elector_actor_t* self, caf::error reason) {
  auto& st = self->state;
  if (st.term.leader()) {
    st.term.token = 0;
    changed(self);
  }
  storage::db_request<bool>(
      self, st.cfg.wiring.db, "cluster.release",
      [node = st.cfg.node](pqxx::dbtransaction& tx) {
        db::release_leadership(tx, node);
        return true;
      },
      std::chrono::seconds(1),
      [self, reason](caf::expected<bool>) mutable { self->quit(std::move(reason)); });
}

caf::behavior elector(leader_elector_actor_t* self, leader_elector_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.term.ttl = st.cfg.lease_ttl;
  st.term.margin = st.cfg.lease_ttl / 6;
  st.probe = std::make_unique<actor_probe>("leader_elector", *st.cfg.registry);
  st.metrics = std::make_unique<cluster_metrics>(*st.cfg.registry);
  st.metrics->leader().set(0);
  st.metrics->term().set(0);
  // Whatever ends this actor, its node stops acting as leader.
  self->attach_functor([fence = st.cfg.wiring.fence] { fence->set_token(0); });
  publish(self, st.cfg.wiring.leader);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& subs = self->state.subscribers;
    subs.erase(std::remove_if(subs.begin(), subs.end(),
                              [&](const caf::actor& a) { return a.address() == down.source; }),
               subs.end());
  });
  self->set_exit_handler(
      [self](caf::exit_msg& msg) { step_down_and_quit(self, std::move(msg.reason)); });
  self->send(self, tick_atom_v);
  return {
      instrumented(self, *st.probe,
                   [self](tick_atom) {
                     claim(self);
                     self->delayed_send(self, period(self->state.cfg), tick_atom_v);
                   }),
      instrumented(self, *st.probe,
                   [self](lease_check_atom) {
                     if (self->state.term.on_clock(self->clock().now())) changed(self);
                   }),
      instrumented(self, *st.probe,
                   [self](leader_subscribe_atom, caf::actor who) {
                     self->monitor(who);
                     self->send(who, leadership_atom_v, self->state.term.token);
                     self->state.subscribers.push_back(std::move(who));
                   }),
      instrumented(self, *st.probe, [](readiness_atom) { return readiness_report{}; }),
  };
}

}  // namespace

caf::actor spawn_leader_elector(caf::actor_system& sys, leader_elector_config cfg) {
  return sys.spawn(elector, std::move(cfg));
}

supervision::child_spec leader_elector_child(const config::settings& settings,
                                             const components& wiring,
                                             metrics::registry& registry) {
  supervision::child_spec c;
  c.name = "leader_elector";
  c.reports_readiness = true;
  leader_elector_config cfg;
  cfg.node = settings.service.node_name;
  const auto& cl = settings.cluster;
  cfg.address = cl.listen_host.empty() ? "" : cl.listen_host + ":" + std::to_string(cl.listen_port);
  cfg.lease_ttl = std::chrono::duration_cast<std::chrono::milliseconds>(cl.lease_ttl);
  cfg.registry = &registry;
  cfg.wiring = wiring;
  c.start = [cfg](caf::local_actor* sup) { return spawn_leader_elector(sup->system(), cfg); };
  return c;
}

}  // namespace vpnbot::cluster
