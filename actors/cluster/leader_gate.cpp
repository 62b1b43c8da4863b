#include "actors/cluster/leader_gate.hpp"

#include <caf/all.hpp>
#include <memory>
#include <optional>

#include "actors/actor_probe.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::cluster {
namespace {

constexpr const char* leader_gate_component = "cluster";

struct gate_state {
  supervision::child_spec singleton;
  components wiring;
  caf::actor elector;
  caf::actor child;
  int64_t token = 0;            // the term this node leads; 0: none
  bool stopping_child = false;  // we asked it to stop
  std::optional<caf::error> quitting;
  std::unique_ptr<actor_probe> probe;
};

using leader_gate_actor_t = caf::stateful_actor<gate_state>;

void subscribe(leader_gate_actor_t* self) {
  auto& st = self->state;
  st.elector = st.wiring.leader->get();
  if (!st.elector) {
    self->delayed_send(self, std::chrono::milliseconds(100), tick_atom_v);
    return;
  }
  self->monitor(st.elector);
  self->send(st.elector, leader_subscribe_atom_v, caf::actor_cast<caf::actor>(self));
}

void start_child(leader_gate_actor_t* self) {
  auto& st = self->state;
  if (st.child || st.quitting) return;
  st.child = st.singleton.start(self);
  if (!st.child) {
    self->quit(caf::make_error(caf::sec::runtime_error, st.singleton.name + " did not start"));
    return;
  }
  st.stopping_child = false;
  self->monitor(st.child);
  log::info(leader_gate_component, "singleton started on the leader",
            {{"singleton", st.singleton.name}, {"term", st.token}});
}

void stop_child(leader_gate_actor_t* self, caf::error reason) {
  auto& st = self->state;
  if (!st.child || st.stopping_child) return;
  st.stopping_child = true;
  self->send_exit(st.child, std::move(reason));
  log::info(leader_gate_component, "singleton stopped: this node does not lead",
            {{"singleton", st.singleton.name}});
}

void on_child_down(leader_gate_actor_t* self, caf::down_msg& down) {
  auto& st = self->state;
  st.child = nullptr;
  if (st.quitting) return self->quit(*st.quitting);
  if (!st.stopping_child) {
    // It ended on its own while it should run: its supervisor decides.
    return self->quit(down.reason
                          ? std::move(down.reason)
                          : caf::make_error(caf::sec::runtime_error, st.singleton.name + " ended"));
  }
  st.stopping_child = false;
  if (st.token != 0) start_child(self);  // leader again meanwhile
}

caf::behavior gate(leader_gate_actor_t* self, supervision::child_spec singleton,
                   components wiring) {
  auto& st = self->state;
  st.singleton = std::move(singleton);
  st.wiring = std::move(wiring);
  st.probe = std::make_unique<actor_probe>("leader_gate", metrics::global());
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    if (st.child && down.source == st.child.address()) return on_child_down(self, down);
    if (st.elector && down.source == st.elector.address()) {
      // No elector, no term: stop now, and listen to the next one.
      st.elector = nullptr;
      st.token = 0;
      stop_child(self, caf::exit_reason::user_shutdown);
      self->delayed_send(self, std::chrono::milliseconds(100), tick_atom_v);
    }
  });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    st.quitting = msg.reason;
    if (!st.child) return self->quit(std::move(msg.reason));
    st.stopping_child = true;
    self->send_exit(st.child, std::move(msg.reason));
  });
  subscribe(self);
  auto& probe = *st.probe;
  return {
      instrumented(self, probe,
                   [self](tick_atom) {
                     if (!self->state.elector) subscribe(self);
                   }),
      instrumented(self, probe,
                   [self](leadership_atom, int64_t token) {
                     self->state.token = token;
                     if (token != 0)
                       start_child(self);
                     else
                       stop_child(self, caf::exit_reason::user_shutdown);
                   }),
      instrumented(self, probe,
                   [self](readiness_atom) -> caf::result<readiness_report> {
                     auto& st = self->state;
                     if (!st.child ||
                         !(st.singleton.is_supervisor || st.singleton.reports_readiness))
                       return readiness_report{};
                     auto rp = self->make_response_promise<readiness_report>();
                     self->request(st.child, std::chrono::milliseconds(900), readiness_atom_v)
                         .then([rp](readiness_report r) mutable { rp.deliver(std::move(r)); },
                               [rp, name = st.singleton.name](caf::error&) mutable {
                                 rp.deliver(readiness_report{{name + ": no answer"}});
                               });
                     return rp;
                   }),
  };
}

}  // namespace

supervision::child_spec leader_only(supervision::child_spec singleton, const components& wiring) {
  if (!wiring.fence) return singleton;
  supervision::child_spec c;
  c.name = singleton.name;
  c.restart = singleton.restart;
  c.shutdown_timeout = singleton.shutdown_timeout;
  c.reports_readiness = true;
  c.start = [singleton = std::move(singleton), wiring](caf::local_actor* sup) {
    return sup->system().spawn(gate, singleton, wiring);
  };
  return c;
}

}  // namespace vpnbot::cluster
