#pragma once

// The panels subtree (only with [[panels]] configured), rest_for_one:
//   http            the HTTP client for panel calls
//   panel-<name> …  one panel actor per configured panel
//   activation      the activation worker (jobs → panel calls)
//   reconciler      each panel against the database
//   traffic_meter   each panel's traffic counters → subscriptions
//   job_listener    wakes the activation worker when a commit queued jobs
// New subscriptions go to the healthy panel with the fewest live
// subscriptions (activation.hpp).

#include <chrono>
#include <functional>

#include "actors/components.hpp"
#include "actors/supervisor.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::activation {

// `clock`: what the reconciler measures the grace on (the workers' clock);
// empty: the system clock.
supervision::child_spec panels_child(
    const config::settings& settings, std::string database_url, const components& wiring,
    metrics::registry& registry = metrics::global(),
    std::function<std::chrono::system_clock::time_point()> clock = {});

}  // namespace vpnbot::activation
