#pragma once

// The panels subtree (only with [[panels]] configured), rest_for_one:
//   http            the HTTP client for panel calls
//   panel-<name> …  one panel actor per configured panel
//   activation      the activation worker (jobs → panel calls)
// New subscriptions go to the healthy panel with the fewest live
// subscriptions (activation.hpp).

#include "actors/supervisor.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::activation {

supervision::child_spec panels_child(const config::settings& settings,
                                     metrics::registry& registry = metrics::global());

}  // namespace vpnbot::activation
