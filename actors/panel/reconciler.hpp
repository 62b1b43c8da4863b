#pragma once

// Reconciles every panel with the database every `interval` (default
// hourly) in a panel pass (panel_pass.hpp), one panel at a time: the
// panel's client list first (a failed or unparsable listing ends that
// panel's run with no change), then one transaction that reads what was
// sold, plans (reconcile.hpp) and enqueues the jobs the activation worker
// carries out; an implausible listing (reconcile.hpp) changes nothing
// either. dry_run logs the plan only.
//
// Metrics: vpnbot_reconcile_runs_total{panel, outcome},
// vpnbot_reconcile_actions_total{panel, action},
// vpnbot_reconcile_clients{panel, owner} (ours, foreign).

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "messages/panel_interface.hpp"

namespace vpnbot::activation {

struct reconciler_config {
  std::map<std::string, slot_ref<panel_actor>> panels;
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  std::chrono::seconds grace{std::chrono::hours(6)};
  bool dry_run = false;
  // On a cluster one node reconciles: the holder of the "reconcile" lease.
  std::string lease_owner;
  std::chrono::milliseconds call_timeout{std::chrono::minutes(2)};
  // What the grace is measured on (the workers' clock; tests move it).
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_reconciler(caf::actor_system& sys, reconciler_config cfg);

}  // namespace vpnbot::activation
