#pragma once

// The storage subtree: the pool front first, then one worker per connection,
// under rest_for_one, so a restarted pool is followed by fresh workers that
// announce themselves to it.

#include <string>

#include "actors/child_spec.hpp"
#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::storage {

supervision::child_spec storage_child(const config::settings& settings, std::string database_url,
                                      const components& wiring,
                                      metrics::registry& registry = metrics::global());

}  // namespace vpnbot::storage
