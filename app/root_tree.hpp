#pragma once

#include <chrono>
#include <functional>

// The shape of the running service: what must exist before the actor system
// starts (resources) and the supervision tree under the root supervisor.

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <memory>
#include <string>

#include "actors/components.hpp"
#include "adapters/db/embedded_postgres.hpp"
#include "app/service_extras.hpp"
#include "config/settings.hpp"

namespace vpnbot::app {

struct service_resources {
  std::string database_url;
  std::unique_ptr<db::embedded_postgres> embedded;  // set when no database.url was configured
};

// Prepares what the tree needs before it starts: the embedded PostgreSQL
// when no database is configured, and the schema. Blocking is fine here:
// the main thread, before the actor system exists.
caf::expected<service_resources> prepare_resources(const config::settings& settings);

// Stops what prepare_resources started, after the actor system is gone.
void release_resources(service_resources& resources);

// Spawns the root supervisor with every subsystem as its child, all wired
// through `wiring` (the caller keeps it to reach the pool, the outbox, the
// sessions and the HTTP server). `clock` drives the workers (tests move it);
// empty: the system clock. `extras` adds its children and /readyz's mode.
caf::actor spawn_root(caf::actor_system& sys, const config::settings& settings,
                      const service_resources& resources, const components& wiring,
                      std::function<std::chrono::system_clock::time_point()> clock = {},
                      const service_extras& extras = {});

}  // namespace vpnbot::app
