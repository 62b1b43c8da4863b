#include "actors/payments/payment_webhooks.hpp"

#include <algorithm>
#include <atomic>
#include <caf/all.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "actors/actor_probe.hpp"
#include "actors/payments/payment_metrics.hpp"
#include "actors/route_registration.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "adapters/http/json_error.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/payments/payment_error.hpp"
#include "adapters/payments/provider_call.hpp"
#include "adapters/resilience/keyed_token_bucket.hpp"
#include "domain/payments/payment_events.hpp"
#include "messages/http_client.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::payments {
namespace {

constexpr const char* payment_webhooks_component = "payment_webhooks";
constexpr auto payment_webhooks_db_timeout = std::chrono::seconds(10);
// What is kept of a body that failed its check: enough to see what it was.
constexpr std::size_t unverified_body_cap = 4096;

struct webhooks_state {
  payment_webhooks_config cfg;
  route_registration routes;
  bool replaying = false;
  std::optional<resilience::keyed_token_bucket> failures;  // per provider and client address
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<payment_metrics> metrics;
};

using payment_webhooks_actor_t = caf::stateful_actor<webhooks_state>;

void count(payment_webhooks_actor_t* self, const std::string& provider,
           const std::string& outcome) {
  self->state.metrics->webhooks.with({provider, outcome}).inc();
}

std::string headers_json(const http_request& req, const provider& p) {
  auto kept = p.evidence_headers();
  kept.insert(kept.end(), {"content-type", "user-agent"});
  nlohmann::json h = nlohmann::json::object();
  for (const auto& [k, v] : req.headers)
    if (std::find(kept.begin(), kept.end(), k) != kept.end()) h[k] = v;
  h["remote_address"] = req.client_address;
  if (req.peer_address != req.client_address) h["proxy_address"] = req.peer_address;
  return h.dump();
}

// Rejected events are kept too, each under its own id.
std::string unverified_id() {
  static std::atomic<uint64_t> n{0};
  return "unverified:" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + ":" +
         std::to_string(++n);
}

// What is stored as the event's raw body: the body, or for a request without
// one (Robokassa's GET ResultURL) the query string, which reparse() verifies
// on a replay the same way.
std::string notification_text(const http_request& req) {
  return req.body.empty() ? req.query : req.body;
}

bool reopens(const db::recorded_event& e) {
  return e.outcome == "not_final";
}

// Every enabled provider's notification route, each with its methods.
std::vector<route_registration::route> routes_of(const provider_list& providers) {
  std::vector<route_registration::route> out;
  for (const auto& p : providers) {
    auto path = p->webhook_path();
    if (path.empty()) continue;
    for (auto& method : p->webhook_methods()) out.emplace_back(std::move(method), path);
  }
  return out;
}

void finish(payment_webhooks_actor_t* self, const std::string& provider,
            caf::expected<event_outcome> r) {
  if (!r) {
    count(self, provider, "process_failed");
    log::warn(payment_webhooks_component, "an event's processing failed; it is replayed later",
              {{"provider", provider}, {"error", to_string(r.error())}});
    return;
  }
  count(self, provider, r->outcome);
  if (r->outcome == "mismatch" || r->outcome == "unknown_payment" || r->outcome == "unknown_refund")
    log::warn(payment_webhooks_component, "a payment notification was not granted",
              {{"provider", provider}, {"outcome", r->outcome}});
  if (r->outcome == "granted_late")
    log::warn(payment_webhooks_component,
              "money came for a payment we had given up on; granted (audit log)",
              {{"provider", provider}});
  self->state.cfg.wiring.kick_outbox(r->outbox_ids);
}

void apply(payment_webhooks_actor_t* self, const std::string& provider, int64_t row,
           payment_verdict v) {
  auto ctx = self->state.cfg.finalizer;
  storage::db_request<event_outcome>(
      self, self->state.cfg.wiring.db, "payments." + provider,
      [row, v, ctx](pqxx::dbtransaction& tx) { return apply_verdict(tx, row, v, ctx); },
      payment_webhooks_db_timeout,
      [self, provider](caf::expected<event_outcome> r) { finish(self, provider, r); });
}

// A notice the provider does not take at its word is read back first, and
// that reply is the verdict.
void process(payment_webhooks_actor_t* self, const std::string& provider, int64_t row, notice n) {
  if (auto* v = std::get_if<payment_verdict>(&n.says)) return apply(self, provider, row, *v);
  auto& check = std::get<read_back>(n.says);
  if (!check.request) return finish(self, provider, check.request.error());
  auto timeout = self->state.cfg.call_timeout;
  self->request(self->state.cfg.http->get(), timeout + std::chrono::seconds(1),
                provider_call(std::move(*check.request), timeout))
      .then(
          [self, provider, row, read = check.read](http_client_response& resp) {
            auto v = read(resp.status, resp.body);
            if (!v) return finish(self, provider, v.error());
            apply(self, provider, row, std::move(*v));
          },
          [self, provider](caf::error& e) { finish(self, provider, std::move(e)); });
}

// Stores the event, then answers: `ok` once stored, 503 when it could not be.
// A redelivered event is processed again only when its last processing
// found the payment not final yet (YooKassa, CoinGate: the status is re-read).
template <class Then>
caf::result<http_response> store_then(payment_webhooks_actor_t* self, const http_request& req,
                                      const provider& from, const std::string& event_id,
                                      bool verified, http_response ok, Then then) {
  auto cap = verified ? std::numeric_limits<std::size_t>::max() : unverified_body_cap;
  auto promise = self->make_response_promise<http_response>();
  auto name = from.name();
  auto raw = notification_text(req);
  auto headers = headers_json(req, from);
  storage::db_request<db::recorded_event>(
      self, self->state.cfg.wiring.db, "payments.store_event",
      [name, event_id, raw, headers, verified, cap](pqxx::dbtransaction& tx) {
        return db::record_webhook_event(tx, name, event_id, raw, headers, verified, cap);
      },
      payment_webhooks_db_timeout,
      [self, promise, name, ok, then](caf::expected<db::recorded_event> stored) mutable {
        if (!stored) {
          count(self, name, "unavailable");
          log::warn(payment_webhooks_component, "could not store a notification",
                    {{"provider", name}, {"error", to_string(stored.error())}});
          promise.deliver(http::json_error(503, "unavailable", "try again later"));
          return;
        }
        promise.deliver(ok);
        if (stored->duplicate && !reopens(*stored)) return count(self, name, "duplicate");
        then(stored->id);
      });
  return promise;
}

// Each client address may fail a few times a minute on each route; beyond
// that it gets 429 and costs no storage.
bool over_failure_limit(payment_webhooks_actor_t* self, const http_request& req,
                        const provider& from) {
  auto& failures = *self->state.failures;
  if (failures.take(from.name() + " " + req.client_address, self->clock().now())) return false;
  count(self, from.name(), "rate_limited");
  return true;
}

caf::result<http_response> rejected(payment_webhooks_actor_t* self, const http_request& req,
                                    const provider& from, const caf::error& e) {
  auto name = from.name();
  if (over_failure_limit(self, req, from)) {
    auto r = http::json_error(429, "too_many_requests",
                              "too many failed notifications from this address, try again later");
    r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  auto code = payment_error_code(e);
  if (code == payment_errc::bad_signature || code == payment_errc::source_not_allowed) {
    count(self, name, "unauthorized");
    log::warn(payment_webhooks_component, "a notification failed its check",
              {{"provider", name}, {"from", req.client_address}});
    return store_then(
        self, req, from, unverified_id(), false,
        http::json_error(401, "unauthorized",
                         code == payment_errc::bad_signature ? "missing or wrong signature"
                                                             : "source address not allowed"),
        [](int64_t) {});
  }
  count(self, name, "malformed");
  return http::json_error(400, "malformed_notification",
                          "the body is not a " + name + " notification");
}

caf::result<http_response> receive(payment_webhooks_actor_t* self, const http_request& req) {
  for (const auto& p : self->state.cfg.providers) {
    if (p->webhook_path().empty() || req.path != p->webhook_path()) continue;
    auto n = p->accept(req);
    if (!n) return rejected(self, req, *p, n.error());
    return store_then(
        self, req, *p, n->event_id, true, n->answer,
        [self, name = p->name(), n = *n](int64_t row) { process(self, name, row, n); });
  }
  return http::json_error(404, "not_found", "no such payment provider");
}

// Events stored but not processed (a crash, a failed re-read) run again,
// each due one at its own time; those out of attempts are dead.
void replay(payment_webhooks_actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.replay_interval, webhook_replay_atom_v);
  if (st.replaying) return;
  st.replaying = true;
  db::replay_policy policy;
  policy.backoff_min = st.cfg.replay_interval;
  policy.max_attempts = st.cfg.replay_attempts;
  storage::db_request<db::claimed_events>(
      self, self->state.cfg.wiring.db, "payments.unprocessed",
      [policy](pqxx::dbtransaction& tx) { return db::claim_due_webhook_events(tx, policy); },
      payment_webhooks_db_timeout,
      [self](caf::expected<db::claimed_events> events) {
        self->state.replaying = false;
        if (!events) return;
        for (const auto& e : events->dead) {
          count(self, e.provider, "dead");
          log::error(payment_webhooks_component,
                     "a notification failed every replay; it is given up as dead",
                     {{"provider", e.provider}, {"event_row", std::to_string(e.id)}});
        }
        for (const auto& e : events->due) {
          count(self, e.provider, "replayed");
          const auto* p = self->state.cfg.providers.find(e.provider);
          if (!p) continue;
          if (auto n = p->reparse(e.raw_body)) process(self, e.provider, e.id, std::move(*n));
        }
      });
}

caf::behavior payment_webhooks_actor(payment_webhooks_actor_t* self, payment_webhooks_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("payment_webhooks", *st.cfg.registry);
  st.metrics = std::make_unique<payment_metrics>(*st.cfg.registry);
  st.failures.emplace(st.cfg.failures_per_minute, std::chrono::minutes(1));
  st.routes = route_registration(st.cfg.wiring.http_server, routes_of(st.cfg.providers));
  self->set_down_handler([self](caf::down_msg& down) {
    if (self->state.routes.lost(down)) self->state.routes.ensure(self);
  });
  st.routes.ensure(self);
  self->send(self, webhook_replay_atom_v);
  auto& probe = *st.probe;
  return {
      instrumented(
          self, probe,
          [self](http_request& req) -> caf::result<http_response> { return receive(self, req); }),
      instrumented(self, probe, [self](register_route_atom) { self->state.routes.ensure(self); }),
      instrumented(self, probe, [self](webhook_replay_atom) { replay(self); }),
  };
}

}  // namespace

caf::actor spawn_payment_webhooks(caf::actor_system& sys, payment_webhooks_config cfg) {
  return sys.spawn(payment_webhooks_actor, std::move(cfg));
}

}  // namespace vpnbot::payments
