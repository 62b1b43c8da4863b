#include "app/sandbox/sandbox_actor.hpp"

#include <caf/all.hpp>

#include "actors/route_registration.hpp"
#include "app/sandbox/sandbox_api.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::sandbox {
namespace {

struct sandbox_state {
  static inline const char* name = "sandbox";

  sandbox_actor_config cfg;
  route_registration routes;
};

using sandbox_actor_t = caf::stateful_actor<sandbox_state>;

caf::behavior sandbox_actor(sandbox_actor_t* self, sandbox_actor_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.routes = route_registration(st.cfg.wiring.http_server, sandbox_routes());
  self->set_down_handler([self](caf::down_msg& down) {
    if (self->state.routes.lost(down)) self->state.routes.ensure(self);
  });
  st.routes.ensure(self);
  return {
      [self](http_request& req) {
        return answer_sandbox_request(*self->state.cfg.world, req, self->state.cfg.service_port);
      },
      [self](register_route_atom) { self->state.routes.ensure(self); },
      // Ready once its routes went to a running server: they are in the
      // server's mailbox before the readiness answer reaches it.
      [self](readiness_atom) {
        self->state.routes.ensure(self);
        readiness_report r;
        if (!self->state.cfg.wiring.http_server->get())
          r.not_ready.push_back("sandbox: routes not registered yet");
        return r;
      },
  };
}

}  // namespace

caf::actor spawn_sandbox_actor(caf::actor_system& sys, sandbox_actor_config cfg) {
  return sys.spawn<caf::detached>(sandbox_actor, std::move(cfg));
}

}  // namespace vpnbot::sandbox
