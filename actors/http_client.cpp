#include "actors/http_client.hpp"

#include <caf/actor_system.hpp>
#include <caf/local_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <memory>
#include <optional>

#include "actors/actor_probe.hpp"
#include "adapters/http/client.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {

namespace {

// A finished call on its way back into the actor, which alone may deliver
// the promise (CAF promises are not to be fulfilled from foreign threads).
struct http_client_delivery {
  caf::typed_response_promise<http_client_response> promise;
};

}  // namespace

}  // namespace vpnbot

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::http_client_delivery)

namespace vpnbot {

namespace {

struct http_client_state {
  static inline const char* name = "http_client";  // CAF names the actor after it
  std::optional<actor_probe> probe;
  std::unique_ptr<http::client> client;
};

// The public interface plus the deliveries it sends itself.
using http_client_impl =
    http_client_actor::extend<caf::reacts_to<http_client_delivery, http_client_response>,
                              caf::reacts_to<http_client_delivery, caf::error>>;

using http_client_actor_t = http_client_impl::stateful_pointer<http_client_state>;

http_client_impl::behavior_type http_client(http_client_actor_t self,
                                            config::http_client_settings settings,
                                            metrics::registry* registry) {
  auto& st = self->state;
  st.probe.emplace("http_client", *registry);
  try {
    st.client = std::make_unique<http::client>(std::move(settings), *registry);
  } catch (const std::exception& e) {
    log::error("http_client", "cannot start", {{"error", e.what()}});
    self->quit(caf::make_error(caf::sec::runtime_error, e.what()));
    return http_client_impl::behavior_type::make_empty_behavior();
  }
  auto& probe = *st.probe;
  return {
      instrumented(self, probe,
                   [self](http_client_request& req) -> caf::result<http_client_response> {
                     http_client_delivery back{self->make_response_promise<http_client_response>()};
                     auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
                     self->state.client->async_request(
                         std::move(req), [weak, back](http::client_result r) {
                           auto strong = weak.lock();
                           if (!strong) return;
                           auto me = caf::actor_cast<caf::actor>(strong);
                           if (r)
                             caf::anon_send(me, back, std::move(*r));
                           else
                             caf::anon_send(me, back, std::move(r.error()));
                         });
                     return back.promise;
                   }),
      instrumented(self, probe,
                   [](http_client_delivery& d, http_client_response& r) {
                     d.promise.deliver(std::move(r));
                   }),
      instrumented(self, probe,
                   [](http_client_delivery& d, caf::error& e) { d.promise.deliver(std::move(e)); }),
  };
}

}  // namespace

http_client_actor spawn_http_client(caf::actor_system& sys, config::http_client_settings settings,
                                    metrics::registry& registry) {
  return caf::actor_cast<http_client_actor>(sys.spawn(http_client, std::move(settings), &registry));
}

supervision::child_spec http_client_child(config::http_client_settings settings,
                                          slot_ref<http_client_actor> handle,
                                          metrics::registry& registry) {
  supervision::child_spec c;
  c.name = "http";
  c.start = [handle, settings, &registry](caf::local_actor* sup) {
    auto client = spawn_http_client(sup->system(), settings, registry);
    handle->set(client);
    return caf::actor_cast<caf::actor>(client);
  };
  return c;
}

}  // namespace vpnbot
