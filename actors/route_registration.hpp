#pragma once

// Keeps an actor's routes registered on the service's HTTP server. The
// server publishes itself in its slot (components.hpp); a restarted server
// has a new address and no routes, so the owner watches it and registers
// again when it goes down. Until a server runs, the owner retries every
// 100 ms through its own register_route_atom handler, which calls ensure().
//
//   st.routes = route_registration(wiring.http_server, {{"POST", "/pay/x"}});
//   st.routes.ensure(self);                       // at start
//   [self](register_route_atom) { self->state.routes.ensure(self); }
//   set_down_handler: if (st.routes.lost(down)) st.routes.ensure(self);

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/system_messages.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "actors/component_slot.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {

class route_registration {
 public:
  using route = std::pair<std::string, std::string>;  // method, path

  route_registration() = default;
  route_registration(slot_ref<caf::actor> server, std::vector<route> routes)
      : server_slot_(std::move(server)), routes_(std::move(routes)) {}

  template <class Self>
  void ensure(Self* self) {
    auto server = server_slot_ ? server_slot_->get() : caf::actor{};
    if (!server) {
      self->delayed_send(self, std::chrono::milliseconds(100), register_route_atom_v);
      return;
    }
    if (server.address() == server_) return;
    server_ = server.address();
    self->monitor(server);
    auto me = caf::actor_cast<caf::actor>(self);
    for (const auto& [method, path] : routes_) {
      self->send(server, register_route_atom_v, method, path, me);
      log::info("http", "route registered", {{"method", method}, {"path", path}});
    }
  }

  // True when `down` is the server's: its routes are gone with it.
  bool lost(const caf::down_msg& down) {
    if (down.source != server_) return false;
    server_ = caf::actor_addr{};
    return true;
  }

 private:
  slot_ref<caf::actor> server_slot_;
  std::vector<route> routes_;
  caf::actor_addr server_;
};

}  // namespace vpnbot
