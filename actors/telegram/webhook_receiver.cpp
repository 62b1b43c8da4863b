#include "actors/telegram/webhook_receiver.hpp"

#include <caf/all.hpp>

#include "actors/actor_probe.hpp"
#include "actors/route_registration.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/session_manager.hpp"
#include "actors/telegram/telegram_metrics.hpp"
#include "adapters/codec/json_tree.hpp"
#include "adapters/crypto/digest.hpp"
#include "adapters/http/json_error.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/http_transport.hpp"
#include "domain/outbox/update_store.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

constexpr const char* webhook_receiver_component = "telegram_webhook";

struct receiver_state {
  webhook_receiver_config cfg;
  route_registration routes;
  std::chrono::milliseconds set_webhook_retry{500};
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<telegram_metrics> metrics;
};

using webhook_receiver_actor_t = caf::stateful_actor<receiver_state>;

void count(webhook_receiver_actor_t* self, const std::string& outcome) {
  self->state.metrics->webhook_requests.with({outcome}).inc();
}

void set_webhook_now(webhook_receiver_actor_t* self) {
  auto& st = self->state;
  set_webhook params;
  params.url = st.cfg.public_url;
  params.secret_token = st.cfg.secret;
  params.allowed_updates = std::vector<std::string>{"message", "edited_message", "callback_query",
                                                    "pre_checkout_query", "my_chat_member"};
  auto request = build(st.cfg.api, params);
  if (!request) {
    log::error(webhook_receiver_component, "setWebhook cannot be built",
               {{"error", request.error()}});
    return;
  }
  self->request(st.cfg.http, std::chrono::seconds(60), to_http_request(*request))
      .then(
          [self](http_client_response& r) {
            auto& st = self->state;
            auto result = from_http_result(caf::expected<http_client_response>{std::move(r)});
            if (result) {
              log::info(webhook_receiver_component, "webhook set", {{"url", st.cfg.public_url}});
              return;
            }
            log::error(webhook_receiver_component, "setWebhook refused",
                       {{"code", result.error().code}, {"error", result.error().description}});
            self->delayed_send(self, st.set_webhook_retry, tick_atom_v);
            st.set_webhook_retry =
                std::min(st.set_webhook_retry * 2, std::chrono::milliseconds(60000));
          },
          [self](caf::error& e) {
            auto& st = self->state;
            log::warn(webhook_receiver_component, "setWebhook did not answer",
                      {{"error", to_string(e)}});
            self->delayed_send(self, st.set_webhook_retry, tick_atom_v);
            st.set_webhook_retry =
                std::min(st.set_webhook_retry * 2, std::chrono::milliseconds(60000));
          });
}

caf::result<http_response> receive(webhook_receiver_actor_t* self, const http_request& req) {
  const auto* given = req.header("x-telegram-bot-api-secret-token");
  if (!given || !crypto::constant_time_equal(*given, self->state.cfg.secret)) {
    count(self, "unauthorized");
    return http::json_error(401, "unauthorized", "missing or wrong secret token");
  }
  auto tree = codec::json_tree::parse(req.body);
  auto id = tree ? tree->root().find("update_id") : std::nullopt;
  if (!id || !id->as_int64()) {
    count(self, "malformed");
    return http::json_error(400, "malformed_update", "expected a Telegram Update object");
  }
  auto promise = self->make_response_promise<http_response>();
  storage::db_request<stored_updates>(
      self, self->state.cfg.wiring.db, "telegram.store_webhook_update",
      [body = req.body](pqxx::dbtransaction& tx) { return store_updates(tx, {body}); },
      std::chrono::seconds(10),
      [self, promise](caf::expected<stored_updates> stored) mutable {
        if (!stored) {
          count(self, "unavailable");
          log::warn(webhook_receiver_component, "could not store an update",
                    {{"error", to_string(stored.error())}});
          promise.deliver(http::json_error(503, "unavailable", "try again later"));
          return;
        }
        count(self, stored->new_updates > 0 ? "stored" : "duplicate");
        for (auto user : stored->users) self->state.cfg.wiring.kick_session(user);
        promise.deliver(http_response{200, "application/json", {}, "{}"});
      });
  return promise;
}

caf::behavior webhook_receiver_actor(webhook_receiver_actor_t* self, webhook_receiver_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("telegram_webhook", *st.cfg.registry);
  st.metrics = std::make_unique<telegram_metrics>(*st.cfg.registry);
  st.routes = route_registration(st.cfg.wiring.http_server,
                                 {route_registration::route{"POST", webhook_path}});
  self->set_down_handler([self](caf::down_msg& down) {
    if (self->state.routes.lost(down)) self->state.routes.ensure(self);
  });
  st.routes.ensure(self);
  if (st.cfg.set_webhook) set_webhook_now(self);
  auto& probe = *st.probe;
  return {
      instrumented(
          self, probe,
          [self](http_request& req) -> caf::result<http_response> { return receive(self, req); }),
      instrumented(self, probe, [self](register_route_atom) { self->state.routes.ensure(self); }),
      instrumented(self, probe, [self](tick_atom) { set_webhook_now(self); }),
  };
}

}  // namespace

caf::actor spawn_webhook_receiver(caf::actor_system& sys, webhook_receiver_config cfg) {
  return sys.spawn(webhook_receiver_actor, std::move(cfg));
}

}  // namespace vpnbot::telegram
