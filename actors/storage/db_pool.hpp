#pragma once

// The front of the database pool: callers send it db_calls; it queues them
// (bounded) and hands each to an idle db_worker. Every call gets an answer:
// the value, or a db_errc error (overloaded, timeout, connection_lost, ...),
// never silence. When calls wait together, each idle worker takes a share
// of them as one group commit. The pool publishes itself in its slot (components.hpp) so
// that callers find its current incarnation after a restart.

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <cstddef>

#include "actors/component_slot.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/storage_interfaces.hpp"

namespace vpnbot::storage {

struct db_pool_options {
  std::size_t max_queue = 1000;
  config::duration request_timeout = std::chrono::seconds(10);
  slot_ref<db_pool_actor> slot = make_slot<db_pool_actor>();  // where callers find the pool
  // Calls waiting together run in one transaction on one worker, up to this
  // many (adapters/db/group_commit.hpp); 1: a transaction per call.
  std::size_t group_max = 64;
  // While calls run, a new call waits up to this long for more to join its
  // group, unless full groups already wait; with nothing running it goes at
  // once, so a lone call is not slowed. Zero: never waits.
  config::duration group_wait = std::chrono::milliseconds(1);
};

db_pool_actor spawn_db_pool(caf::actor_system& sys, db_pool_options opts,
                            metrics::registry& registry = metrics::global());

}  // namespace vpnbot::storage
