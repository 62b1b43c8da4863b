#pragma once

// Streams running broadcasts into the outbox's broadcast lane: every
// `interval` one transaction (broadcasts::claim_next) turns the next
// recipients of each running broadcast into outbox rows, a window at a
// time, then kicks the outbox with them. Everything is rows, so a restart
// (or kill -9) goes on where it stopped; the outbox's in-doubt rule decides
// what was on the wire at a crash (broadcasts are not sent again).

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {

struct broadcaster_config {
  // How often the lane is topped up. A window must outlast an interval at
  // the broadcast's rate: 100 is 3 s at 30/s, 2000 is 2 s at 1000/s.
  std::chrono::milliseconds interval{250};
  int window = 100;
  int paid_window = 2000;
  // The admins' progress messages (domain/bot/admin_broadcast_progress):
  // their texts, and at most one edit per interval.
  const texts* catalog = &texts::builtin();
  std::chrono::milliseconds progress_interval{std::chrono::seconds(5)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the database pool and the outbox (components.hpp)
};

caf::actor spawn_broadcaster(caf::actor_system& sys, broadcaster_config cfg);

}  // namespace vpnbot::telegram
