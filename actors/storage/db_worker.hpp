#pragma once

// One pooled database connection, owned by one detached actor (libpqxx
// blocks, so it never runs on a scheduler thread). It connects when it
// starts, announces itself idle to the pool, and runs db_calls one at a
// time. A broken connection fails the call in hand with connection_lost and
// ends the actor, so its supervisor reconnects it with backoff; a half-done
// transaction is rolled back by the server.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <string>

#include "actors/component_slot.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/storage_interfaces.hpp"

namespace vpnbot::storage {

struct db_worker_options {
  std::string url;
  std::string name;  // e.g. "db-2"; also the connection's application_name
  config::duration statement_timeout = std::chrono::seconds(5);
  config::duration connect_timeout = std::chrono::seconds(5);
  // The server ends the session when a transaction of it waits on this
  // process longer (a process paused mid-transaction), releasing its locks;
  // 0: never. Set on a cluster, where those locks can keep a lease.
  config::duration idle_in_transaction_timeout{0};
  unsigned incarnation = 1;                                   // >1 means this start is a reconnect
  slot_ref<db_pool_actor> pool = make_slot<db_pool_actor>();  // told when this worker is idle
};

db_worker_actor spawn_db_worker(caf::actor_system& sys, db_worker_options opts,
                                metrics::registry& registry = metrics::global());

}  // namespace vpnbot::storage
