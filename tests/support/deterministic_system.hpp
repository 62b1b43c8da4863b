#pragma once

// An actor system on CAF's deterministic test coordinator: messages are
// processed only when the test runs the scheduler, and time moves only
// when the test advances the actor clock.

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

#include "messages/type_ids.hpp"

namespace vpnbot::test_support {

inline caf::actor_system_config& deterministic_config(caf::actor_system_config& cfg) {
  register_message_types(cfg);
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  return cfg;
}

}  // namespace vpnbot::test_support
