#pragma once

// Wakes the activation worker when a committed transaction queued jobs: a
// PostgreSQL LISTEN on subscriptions::jobs_channel, on a connection of its
// own (a detached actor: waiting for a notification blocks). It waits up to
// `wait` at a time and looks at its mailbox in between, so it stops within
// that. A lost connection (PostgreSQL restarting) is its own business, not
// its supervisor's: it connects again with backoff (100 ms doubling, at
// most 5 s) and then wakes the worker once for what was queued meanwhile;
// the worker's periodic scan covers the gap. Crashing instead would spend
// the panels subtree's restart intensity on an outage it cannot fix.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <chrono>
#include <string>

#include "actors/component_slot.hpp"
#include "domain/subscriptions/job_kind.hpp"

namespace vpnbot::activation {

struct job_listener_config {
  std::string database_url;
  slot_ref<caf::actor> activation;  // told (jobs_queued_atom) on each notification
  std::chrono::milliseconds wait{200};
  // The channel listened on; the payments subtree's refund listener uses
  // this actor too, on db::refund_requests_channel, for its refund_sender.
  std::string channel = subscriptions::jobs_channel;
};

caf::actor spawn_job_listener(caf::actor_system& sys, job_listener_config cfg);

}  // namespace vpnbot::activation
