#pragma once

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include "app/service_extras.hpp"
#include "config/settings.hpp"

namespace vpnbot::app {

// Runs vpnbot until a stop signal or until its root supervisor gives up.
// Returns the process exit code: 0 after a graceful stop, 1 when the root
// supervisor failed (so a process manager can restart the service).
int run_service(const config::settings& settings, const service_extras& extras = {});

// Blocks the calling (non-scheduler) thread until `root` exits; returns why.
caf::error await_exit(caf::actor_system& sys, const caf::actor& root);

// Exit code for a root supervisor's exit reason.
int exit_code_for(const caf::error& reason, bool stop_requested);

}  // namespace vpnbot::app
