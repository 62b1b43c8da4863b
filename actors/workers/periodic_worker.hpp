#pragma once

// The worker pattern: an actor that runs one iteration at a time, driven by
// a CAF timer. An iteration is one database transaction (a `step`, a plain
// function tests call directly) with a time budget; its Telegram messages
// are outbox rows of that transaction. A failed iteration (an exception in
// the step, a database error, the budget exceeded) ends the actor with that
// error, and its supervisor restarts it with backoff: there is no
// catch-log-continue loop. The clock is injected, so tests move time instead
// of sleeping.
//
// Metrics (label `worker`): vpnbot_worker_last_success_timestamp_seconds,
// vpnbot_worker_iteration_seconds, vpnbot_worker_items_total,
// vpnbot_worker_failures_total.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <string>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "domain/workers/step.hpp"

namespace vpnbot::workers {

struct periodic_worker_config {
  std::string name;
  std::chrono::milliseconds interval{std::chrono::minutes(1)};
  std::chrono::milliseconds budget{std::chrono::seconds(30)};  // per iteration
  worker_step step;
  // The cluster: iterations run only on the node holding the "workers"
  // lease (taken or renewed in the iteration's own transaction). Empty: no
  // lease (tests of a single worker).
  std::string lease_owner;
  std::chrono::seconds lease_ttl{std::chrono::minutes(3)};
  wall_clock clock = [] { return std::chrono::system_clock::now(); };
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_periodic_worker(caf::actor_system& sys, periodic_worker_config cfg);

}  // namespace vpnbot::workers
