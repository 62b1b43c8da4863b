#pragma once

// Reads every panel's traffic counters every `interval` (a panel pass,
// panel_pass.hpp: one panel at a time, through its panel actor) and stores them on the
// subscriptions they belong to, for "My subscriptions". A panel that does not answer is skipped
// until the next round; a database failure ends the actor for its supervisor.
//
// Metrics: vpnbot_traffic_readings_total{panel, outcome} (ok, panel_failed).

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <map>
#include <memory>
#include <string>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "messages/panel_interface.hpp"

namespace vpnbot::activation {

struct traffic_meter_config {
  std::map<std::string, slot_ref<panel_actor>> panels;
  std::chrono::milliseconds interval{std::chrono::minutes(10)};
  std::chrono::milliseconds call_timeout{std::chrono::minutes(2)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_traffic_meter(caf::actor_system& sys, traffic_meter_config cfg);

}  // namespace vpnbot::activation
