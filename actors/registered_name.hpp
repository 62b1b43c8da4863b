#pragma once

// Actors that others find by name (the database pool, the HTTP server, the
// Telegram outbox and session manager) register themselves in CAF's
// registry. A restarted actor has a new address, so finders look the name up
// at each use instead of holding an old handle.

#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/local_actor.hpp>

namespace vpnbot {

// Replaces whatever holds the name (CAF's registry keeps the first entry of a
// name otherwise) and removes it when this actor ends — unless a newer
// incarnation has taken the name by then.
template <class Self>
void register_name(Self* self, caf::atom_value name) {
  auto& registry = self->system().registry();
  registry.erase(name);
  registry.put(name, caf::actor_cast<caf::strong_actor_ptr>(self));
  self->attach_functor([sys = &self->system(), addr = self->address(), name] {
    if (auto current = sys->registry().get(name); current && current->address() == addr)
      sys->registry().erase(name);
  });
}

template <class Handle = caf::actor>
Handle find_registered(caf::actor_system& sys, caf::atom_value name) {
  return caf::actor_cast<Handle>(sys.registry().get(name));
}

}  // namespace vpnbot
