#pragma once

// Drives activation jobs (activation.hpp) through the panel actors: leases
// up to max_in_flight jobs per round, calls the job's panel, records the
// outcome in a fresh transaction, kicks the outbox. extend/enable of a
// client the panel lost (removed after retention, a panel reset) re-creates
// it with the stored identity; disable of a missing client is done.
//
// It leases when told that a commit queued jobs (jobs_queued_atom, from the
// job listener) and every `interval` as the safety net and the clock of
// retries; a kick that arrives while a lease runs leases again after it.
//
// A job refused by an open circuit is deferred, not failed: the panel was not
// called, so an outage of any length leaves no job dead.
//
// Metrics: vpnbot_activation_jobs_total{kind, outcome} (done, retry,
// deferred, dead, lease_lost), vpnbot_activation_in_flight.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <map>
#include <memory>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/panel_interface.hpp"

namespace vpnbot::activation {

struct activation_worker_config {
  std::string owner;  // lease owner: the node name
  // Panel name -> its actor, filled in by the panel actors' factories.
  std::map<std::string, slot_ref<panel_actor>> panels;
  std::vector<config::panel_settings> panel_settings;  // for share links
  std::string default_panel;
  std::chrono::milliseconds interval{std::chrono::seconds(1)};
  // Where the job listener finds this worker.
  slot_ref<caf::actor> published_as = make_slot<caf::actor>();
  unsigned max_in_flight = 8;
  int max_attempts = 8;
  std::chrono::milliseconds retry_min{std::chrono::seconds(5)};
  // A job whose panel's circuit is open is put back for this long (the
  // breaker's cooldown) without counting an attempt.
  std::chrono::milliseconds circuit_retry{std::chrono::seconds(30)};
  std::chrono::seconds lease_for{std::chrono::minutes(5)};
  std::chrono::milliseconds call_timeout{std::chrono::minutes(2)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_activation_worker(caf::actor_system& sys, activation_worker_config cfg);

}  // namespace vpnbot::activation
