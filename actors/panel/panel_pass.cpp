#include "actors/panel/panel_pass.hpp"

#include <caf/all.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "actors/actor_probe.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

struct pass_state {
  panel_pass_config cfg;
  std::unique_ptr<actor_probe> probe;
  std::vector<std::string> queue;  // the panels still to visit in this pass
  bool running = false;
};

using panel_pass_actor_t = caf::stateful_actor<pass_state>;

void visit_next(panel_pass_actor_t* self) {
  auto& st = self->state;
  while (!st.queue.empty()) {
    auto name = st.queue.back();
    st.queue.pop_back();
    auto it = st.cfg.panels.find(name);
    auto panel = it == st.cfg.panels.end() ? panel_actor{} : it->second->get();
    if (panel) return st.cfg.visit(self, name, panel, pass_step{self});
    if (st.cfg.skipped) st.cfg.skipped(name);
  }
  st.running = false;
}

void begin(panel_pass_actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.interval, tick_atom_v);
  if (st.running) return;
  st.running = true;
  st.queue.clear();
  for (const auto& [name, handle] : st.cfg.panels) st.queue.push_back(name);
  visit_next(self);
}

caf::behavior panel_pass_actor(panel_pass_actor_t* self, panel_pass_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>(st.cfg.kind, *st.cfg.registry);
  self->delayed_send(self, st.cfg.interval, tick_atom_v);
  return {
      instrumented(self, *st.probe, [self](tick_atom) { begin(self); }),
      instrumented(self, *st.probe, [self](next_atom) { visit_next(self); }),
  };
}

}  // namespace

void pass_step::next() const {
  caf::anon_send(caf::actor_cast<caf::actor>(self_), next_atom_v);
}

void pass_step::abandon() const {
  // Every pass_step is made by a panel pass actor for itself.
  auto* self = static_cast<panel_pass_actor_t*>(self_);
  self->state.queue.clear();
  self->state.running = false;
}

void pass_step::fail(caf::error e) const {
  self_->quit(std::move(e));
}

caf::actor spawn_panel_pass(caf::actor_system& sys, panel_pass_config cfg) {
  return sys.spawn(panel_pass_actor, std::move(cfg));
}

}  // namespace vpnbot::activation
