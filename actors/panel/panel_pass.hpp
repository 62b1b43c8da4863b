#pragma once

// The skeleton the reconciler and the traffic meter share: every `interval`
// a pass over the configured panels, one panel at a time, at most one pass
// at once. What is done at each panel is the `visit`: it asks the panel
// actor, writes in a transaction of its own, and then says how the pass
// goes on through its `pass_step`:
//   next()       this panel is done, on to the next one;
//   abandon()    end this pass early (e.g. the pool is between restarts);
//   fail(error)  end the actor with `error`, for its supervisor.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "actors/component_slot.hpp"
#include "adapters/metrics/registry.hpp"
#include "messages/panel_interface.hpp"

namespace vpnbot::activation {

class pass_step {
 public:
  explicit pass_step(caf::event_based_actor* self) : self_(self) {}
  void next() const;
  void abandon() const;
  void fail(caf::error e) const;

 private:
  caf::event_based_actor* self_;
};

using panel_visit = std::function<void(caf::event_based_actor* self, const std::string& name,
                                       const panel_actor& panel, pass_step step)>;

struct panel_pass_config {
  std::string kind;  // the actor kind in metrics and logs
  std::map<std::string, slot_ref<panel_actor>> panels;
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  panel_visit visit;
  // A panel whose actor is not running when its turn comes.
  std::function<void(const std::string& panel)> skipped;
  metrics::registry* registry = &metrics::global();
};

caf::actor spawn_panel_pass(caf::actor_system& sys, panel_pass_config cfg);

}  // namespace vpnbot::activation
