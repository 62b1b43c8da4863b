#pragma once

// A reusable Erlang/OTP-style supervisor actor. It starts its children in
// order, restarts them by strategy with exponential backoff, gives up and
// fails (so its own parent decides) when restarts exceed its intensity, stops
// children in reverse order with a timeout each, and answers questions about
// them. All time comes from CAF's actor clock.
//
// Messages it accepts:
//   get_children_atom                      -> std::vector<child_status>
//   get_children_atom, std::string path    -> std::vector<child_status> of the
//                                             nested supervisor at `path`
//                                             ("storage/pool"; "" is itself)
//   readiness_atom                         -> readiness_report
//   shutdown_atom                          -> (empty reply once every child is stopped;
//                                             the supervisor then exits normally)
//   tick_atom                              -> (internal timer; a stray one is harmless)
// Children are monitored, never linked. An exit message (from its parent, or
// main) is a stop request: with user_shutdown it stops like shutdown_atom;
// with an abnormal reason it stops its children and exits with that reason;
// a normal one is ignored. If the supervisor itself is killed or crashes, it
// sends its exit reason to the children still alive.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/timespan.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/child_spec.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::supervision {

enum class strategy : uint8_t {
  one_for_one,   // restart only the child that failed
  one_for_all,   // stop all others (reverse order), restart all (in order)
  rest_for_one,  // stop the children after it (reverse order), restart it and them
};

struct supervisor_spec {
  // The first segment of every path in its readiness report; a nested
  // supervisor should carry its child spec's name.
  std::string name;
  strategy restart_strategy = strategy::one_for_one;
  // Started in this order, stopped in the reverse.
  std::vector<child_spec> children;
  // Restart intensity, backoff and the default child shutdown timeout.
  config::supervision_settings limits;
  double backoff_jitter = 0.2;
  // Seeds the jitter; nullopt seeds from std::random_device.
  std::optional<uint64_t> jitter_seed;
  // How long a child may take to answer a readiness question before it is
  // reported as not ready.
  caf::timespan readiness_timeout = std::chrono::seconds(1);
};

caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_spec spec,
                            metrics::registry& registry = metrics::global());

// A child spec that runs `spec` as a nested supervisor (permanent). Its
// shutdown timeout covers stopping all of its children one after another,
// plus one default child timeout of slack.
child_spec supervisor_child(supervisor_spec spec, metrics::registry& registry = metrics::global());

}  // namespace vpnbot::supervision
