#include "actors/payments/payment_webhooks.hpp"

#include <atomic>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/actor_probe.hpp"
#include "actors/http_server.hpp"
#include "actors/registered_name.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "adapters/http/json_error.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/payments/payment_error.hpp"
#include "domain/payments/payment_events.hpp"
#include "messages/http_client.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::payments {
namespace {

constexpr const char* component = "payment_webhooks";
constexpr auto db_timeout = std::chrono::seconds(10);
constexpr const char* cryptobot_path = "/pay/cryptobot";
constexpr const char* yookassa_path = "/pay/yookassa";
constexpr const char* robokassa_path = "/pay/robokassa";

struct webhooks_state {
  payment_webhooks_config cfg;
  caf::actor_addr server;
  bool replaying = false;
  std::unique_ptr<actor_probe> probe;
};

using actor_t = caf::stateful_actor<webhooks_state>;

void count(actor_t* self, const std::string& provider, const std::string& outcome) {
  self->state.cfg.registry
      ->get_counter("vpnbot_payment_webhooks_total", "Payment notifications by outcome",
                    {{"provider", provider}, {"outcome", outcome}})
      .inc();
}

std::string headers_json(const http_request& req) {
  nlohmann::json h = nlohmann::json::object();
  for (const auto& [k, v] : req.headers)
    if (k == "content-type" || k == "crypto-pay-api-signature" || k == "user-agent") h[k] = v;
  h["remote_address"] = req.remote_address;
  return h.dump();
}

// Rejected events are kept too, each under its own id.
std::string unverified_id() {
  static std::atomic<uint64_t> n{0};
  return "unverified:" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + ":" +
         std::to_string(++n);
}

bool reopens(const db::recorded_event& e) {
  return e.outcome == "not_final";
}

void register_routes(actor_t* self) {
  auto server = find_registered(self->system(), http_server_name);
  if (!server) {
    self->delayed_send(self, std::chrono::milliseconds(100), register_route_atom_v);
    return;
  }
  if (server.address() == self->state.server) return;
  self->state.server = server.address();
  self->monitor(server);
  const auto& p = self->state.cfg.providers;
  auto me = caf::actor_cast<caf::actor>(self);
  if (p.cryptobot)
    self->send(server, register_route_atom_v, std::string("POST"), std::string(cryptobot_path), me);
  if (p.yookassa)
    self->send(server, register_route_atom_v, std::string("POST"), std::string(yookassa_path), me);
  if (p.robokassa)
    self->send(server, register_route_atom_v, std::string("POST"), std::string(robokassa_path), me);
}

void finish(actor_t* self, const std::string& provider, caf::expected<event_outcome> r) {
  if (!r) {
    count(self, provider, "process_failed");
    log::warn(component, "an event's processing failed; it is replayed later",
              {{"provider", provider}, {"error", to_string(r.error())}});
    return;
  }
  count(self, provider, r->outcome);
  if (r->outcome == "mismatch" || r->outcome == "unknown_payment" || r->outcome == "unknown_refund")
    log::warn(component, "a payment notification was not granted",
              {{"provider", provider}, {"outcome", r->outcome}});
  if (r->outcome == "granted_late")
    log::warn(component, "money came for a payment we had given up on; granted (audit log)",
              {{"provider", provider}});
  if (!r->outbox_ids.empty()) telegram::kick_outbox(self->system(), r->outbox_ids);
}

void process_cryptobot(actor_t* self, int64_t row, cryptobot::update u) {
  auto ctx = self->state.cfg.finalizer;
  storage::db_request<event_outcome>(
      self, "payments.cryptobot",
      [row, u, ctx](pqxx::dbtransaction& tx) {
        if (u.update_type != "invoice_paid") {
          db::mark_webhook_processed(tx, row, "ignored");
          return event_outcome{"ignored", {}};
        }
        return apply_confirmation(tx, row, confirmation_of(u.invoice_data), ctx);
      },
      db_timeout, [self](caf::expected<event_outcome> r) { finish(self, "cryptobot", r); });
}

void process_robokassa(actor_t* self, int64_t row, robokassa::result_notice n) {
  auto ctx = self->state.cfg.finalizer;
  storage::db_request<event_outcome>(
      self, "payments.robokassa",
      [row, n, ctx](pqxx::dbtransaction& tx) {
        auto c = confirmation_of(tx, n);
        if (!c) {  // signed by Robokassa, but not for a payment of ours
          db::mark_webhook_processed(tx, row, "unknown_payment");
          return event_outcome{"unknown_payment", {}};
        }
        return apply_confirmation(tx, row, c, ctx);
      },
      db_timeout, [self](caf::expected<event_outcome> r) { finish(self, "robokassa", r); });
}

// A refund notification is read back too: GET /refunds/{id} decides.
void process_yookassa_refund(actor_t* self, int64_t row, const std::string& refund_id) {
  auto request = yookassa::get_refund_request(*self->state.cfg.providers.yookassa, refund_id);
  if (!request) return finish(self, "yookassa", request.error());
  auto timeout = self->state.cfg.call_timeout;
  self->request(*self->state.cfg.http, timeout + std::chrono::seconds(1),
                provider_call(std::move(*request), timeout))
      .then(
          [self, row](http_client_response& resp) {
            auto refund = yookassa::read_refund_reply(resp.status, resp.body);
            if (!refund) return finish(self, "yookassa", refund.error());
            auto fetched = std::move(*refund);
            storage::db_request<event_outcome>(
                self, "payments.yookassa_refund",
                [row, fetched](pqxx::dbtransaction& tx) { return apply_refund(tx, row, fetched); },
                db_timeout,
                [self](caf::expected<event_outcome> r) { finish(self, "yookassa", r); });
          },
          [self](caf::error& e) { finish(self, "yookassa", std::move(e)); });
}

// The notification only says "look": the payment's state is read back.
void process_yookassa(actor_t* self, int64_t row, yookassa::notification n) {
  auto ctx = self->state.cfg.finalizer;
  if (n.kind == yookassa::event_kind::refund_succeeded)
    return process_yookassa_refund(self, row, n.object_id);
  if (!n.payment_object) {
    storage::db_request<event_outcome>(
        self, "payments.yookassa_other",
        [row](pqxx::dbtransaction& tx) {
          db::mark_webhook_processed(tx, row, "ignored");
          return event_outcome{"ignored", {}};
        },
        db_timeout, [self](caf::expected<event_outcome> r) { finish(self, "yookassa", r); });
    return;
  }
  auto request = yookassa::get_payment_request(*self->state.cfg.providers.yookassa, n.object_id);
  if (!request) return finish(self, "yookassa", request.error());
  auto timeout = self->state.cfg.call_timeout;
  self->request(*self->state.cfg.http, timeout + std::chrono::seconds(1),
                provider_call(std::move(*request), timeout))
      .then(
          [self, row, ctx](http_client_response& resp) {
            auto pay = yookassa::read_payment_reply(resp.status, resp.body);
            if (!pay) return finish(self, "yookassa", pay.error());
            auto p = std::move(*pay);
            storage::db_request<event_outcome>(
                self, "payments.yookassa",
                [row, p, ctx](pqxx::dbtransaction& tx) {
                  if (p.status == yookassa::payment_status::canceled)
                    return apply_cancellation(tx, row, p.payment_id);
                  if (p.status != yookassa::payment_status::succeeded) {
                    db::mark_webhook_processed(tx, row, "not_final");
                    return event_outcome{"not_final", {}};
                  }
                  return apply_confirmation(tx, row, confirmation_of(p), ctx);
                },
                db_timeout,
                [self](caf::expected<event_outcome> r) { finish(self, "yookassa", r); });
          },
          [self](caf::error& e) { finish(self, "yookassa", std::move(e)); });
}

// Stores the event, then answers: `ok` once stored, 503 when it could not be.
// A redelivered event is processed again only when its last processing
// found the payment not final yet (YooKassa: the status is re-read).
template <class Then>
caf::result<http_response> store_then(actor_t* self, const http_request& req,
                                      const std::string& provider, const std::string& event_id,
                                      bool verified, http_response ok, Then then) {
  auto promise = self->make_response_promise<http_response>();
  auto raw = req.body;
  auto headers = headers_json(req);
  storage::db_request<db::recorded_event>(
      self, "payments.store_event",
      [provider, event_id, raw, headers, verified](pqxx::dbtransaction& tx) {
        return db::record_webhook_event(tx, provider, event_id, raw, headers, verified);
      },
      db_timeout,
      [self, promise, provider, ok, then](caf::expected<db::recorded_event> stored) mutable {
        if (!stored) {
          count(self, provider, "unavailable");
          log::warn(component, "could not store a notification",
                    {{"provider", provider}, {"error", to_string(stored.error())}});
          promise.deliver(http::json_error(503, "unavailable", "try again later"));
          return;
        }
        promise.deliver(ok);
        if (stored->duplicate && !reopens(*stored)) return count(self, provider, "duplicate");
        then(stored->id);
      });
  return promise;
}

caf::result<http_response> rejected(actor_t* self, const http_request& req,
                                    const std::string& provider, const caf::error& e) {
  auto code = payment_error_code(e);
  if (code == payment_errc::bad_signature || code == payment_errc::source_not_allowed) {
    count(self, provider, "unauthorized");
    log::warn(component, "a notification failed its check",
              {{"provider", provider}, {"from", req.remote_address}});
    return store_then(
        self, req, provider, unverified_id(), false,
        http::json_error(401, "unauthorized",
                         code == payment_errc::bad_signature ? "missing or wrong signature"
                                                             : "source address not allowed"),
        [](int64_t) {});
  }
  count(self, provider, "malformed");
  return http::json_error(400, "malformed_notification",
                          "the body is not a " + provider + " notification");
}

caf::result<http_response> receive(actor_t* self, const http_request& req) {
  const auto& p = self->state.cfg.providers;
  if (req.path == cryptobot_path && p.cryptobot) {
    auto u = cryptobot::accept_webhook(*p.cryptobot, req);
    if (!u) return rejected(self, req, "cryptobot", u.error());
    return store_then(self, req, "cryptobot", u->event_id(), true,
                      http_response{200, "application/json", {}, R"({"ok":true})"},
                      [self, u = *u](int64_t row) { process_cryptobot(self, row, u); });
  }
  if (req.path == yookassa_path && p.yookassa) {
    auto n = yookassa::accept_notification(req, p.yookassa_sources.get());
    if (!n) return rejected(self, req, "yookassa", n.error());
    return store_then(self, req, "yookassa", n->event_id(), true,
                      http_response{200, "application/json", {}, "{}"},
                      [self, n = *n](int64_t row) { process_yookassa(self, row, n); });
  }
  if (req.path == robokassa_path && p.robokassa) {
    auto n = robokassa::verify_result(*p.robokassa, req.body.empty() ? req.query : req.body);
    if (!n) return rejected(self, req, "robokassa", n.error());
    return store_then(self, req, "robokassa", n->event_id(), true,
                      http_response{200, "text/plain", {}, robokassa::result_reply(n->invoice_id)},
                      [self, n = *n](int64_t row) { process_robokassa(self, row, n); });
  }
  return http::json_error(404, "not_found", "no such payment provider");
}

// Events stored but not processed (a crash, a failed re-read) run again,
// each due one at its own time; those out of attempts are dead.
void replay(actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.replay_interval, webhook_replay_atom_v);
  if (st.replaying) return;
  st.replaying = true;
  db::replay_policy policy;
  policy.backoff_min = st.cfg.replay_interval;
  policy.max_attempts = st.cfg.replay_attempts;
  storage::db_request<db::claimed_events>(
      self, "payments.unprocessed",
      [policy](pqxx::dbtransaction& tx) { return db::claim_due_webhook_events(tx, policy); },
      db_timeout,
      [self](caf::expected<db::claimed_events> events) {
        self->state.replaying = false;
        if (!events) return;
        for (const auto& e : events->dead) {
          count(self, e.provider, "dead");
          log::error(component, "a notification failed every replay; it is given up as dead",
                     {{"provider", e.provider}, {"event_row", std::to_string(e.id)}});
        }
        const auto& p = self->state.cfg.providers;
        for (const auto& e : events->due) {
          count(self, e.provider, "replayed");
          if (e.provider == "cryptobot" && p.cryptobot) {
            if (auto u = cryptobot::parse_update(e.raw_body)) process_cryptobot(self, e.id, *u);
          } else if (e.provider == "yookassa" && p.yookassa) {
            if (auto n = yookassa::parse_notification(e.raw_body)) process_yookassa(self, e.id, *n);
          } else if (e.provider == "robokassa" && p.robokassa) {
            if (auto n = robokassa::verify_result(*p.robokassa, e.raw_body))
              process_robokassa(self, e.id, *n);
          }
        }
      });
}

caf::behavior payment_webhooks_actor(actor_t* self, payment_webhooks_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("payment_webhooks", *st.cfg.registry);
  self->set_down_handler([self](caf::down_msg& down) {
    if (down.source != self->state.server) return;
    self->state.server = caf::actor_addr{};
    register_routes(self);
  });
  register_routes(self);
  self->send(self, webhook_replay_atom_v);
  auto& probe = *st.probe;
  return {
      instrumented(
          self, probe,
          [self](http_request& req) -> caf::result<http_response> { return receive(self, req); }),
      instrumented(self, probe, [self](register_route_atom) { register_routes(self); }),
      instrumented(self, probe, [self](webhook_replay_atom) { replay(self); }),
  };
}

}  // namespace

caf::actor spawn_payment_webhooks(caf::actor_system& sys, payment_webhooks_config cfg) {
  return sys.spawn(payment_webhooks_actor, std::move(cfg));
}

}  // namespace vpnbot::payments
