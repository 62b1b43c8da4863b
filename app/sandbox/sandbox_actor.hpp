#pragma once

// The actor behind the sandbox's routes (sandbox_api.hpp): it keeps them
// registered on the service's HTTP server through route_registration and
// answers each request from the sandbox's world. Detached: paying an
// invoice waits for the service's webhook route to take the notification.
// It answers readiness_atom: not ready until its routes are registered.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <cstdint>
#include <memory>

#include "actors/components.hpp"
#include "app/sandbox/sandbox_world.hpp"

namespace vpnbot::sandbox {

struct sandbox_actor_config {
  std::shared_ptr<sandbox_world> world;
  components wiring;
  uint16_t service_port = 0;  // where the notifications of paid invoices go
};

caf::actor spawn_sandbox_actor(caf::actor_system& sys, sandbox_actor_config cfg);

}  // namespace vpnbot::sandbox
