#pragma once

// What a caller of run_service adds to the configured service: the mode
// /readyz reports and subsystems of its own under the root supervisor
// (the sandbox's web chat, app/sandbox). Empty for a plain `vpnbot`.

#include <functional>
#include <string>
#include <vector>

#include "actors/child_spec.hpp"
#include "actors/components.hpp"

namespace vpnbot::app {

struct service_extras {
  std::string mode;  // "sandbox"; empty: /readyz reports no mode
  // Each makes one more child of the root, started before the HTTP server.
  std::vector<std::function<supervision::child_spec(const components& wiring)>> children;
};

}  // namespace vpnbot::app
