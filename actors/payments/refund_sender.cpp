#include "actors/payments/refund_sender.hpp"

#include <caf/all.hpp>
#include <set>

#include "actors/actor_probe.hpp"
#include "actors/payments/payment_metrics.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/refund_requests_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/payments/provider_call.hpp"
#include "domain/payments/refund_request_outcome.hpp"
#include "messages/http_client.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::payments {
namespace {

constexpr const char* refund_sender_component = "refunds";
constexpr auto refund_sender_db_timeout = std::chrono::seconds(15);
constexpr int batch = 16;

struct sender_state {
  refund_sender_config cfg;
  std::set<std::string> in_flight;  // request ids being sent now
  bool leasing = false;
  bool lease_again = false;  // woken while leasing
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<payment_metrics> metrics;
};

using refund_sender_actor_t = caf::stateful_actor<sender_state>;

void count(refund_sender_actor_t* self, const std::string& provider, const std::string& outcome) {
  self->state.metrics->refunds.with({provider, outcome}).inc();
}

refund_retry_policy retry_policy(const refund_sender_config& cfg) {
  refund_retry_policy p;
  p.first_wait = cfg.interval;
  return p;
}

// A lease outlives the call it covers; one that runs out (the sender died)
// lets the request be sent again, with the same key.
std::chrono::seconds lease_for(const refund_sender_config& cfg) {
  return std::chrono::duration_cast<std::chrono::seconds>(cfg.call_timeout) +
         std::chrono::seconds(30);
}

void done(refund_sender_actor_t* self, const db::refund_request_row& r,
          caf::expected<refund_request_outcome> outcome) {
  self->state.in_flight.erase(r.id);
  if (!outcome) {
    count(self, r.provider, "store_failed");
    log::warn(refund_sender_component,
              "could not record a refund's outcome; it is sent again when due",
              {{"request", r.id}, {"error", to_string(outcome.error())}});
    return;
  }
  count(self, r.provider, outcome->outcome);
  log::info(refund_sender_component, "refund request " + outcome->outcome,
            {{"request", r.id}, {"payment", r.payment_id}, {"provider", r.provider}});
  self->state.cfg.wiring.kick_outbox(outcome->outbox_ids);
}

void record_refund(refund_sender_actor_t* self, const db::refund_request_row& r,
                   provider_refund refund) {
  auto retry = retry_policy(self->state.cfg);
  storage::db_request<refund_request_outcome>(
      self, self->state.cfg.wiring.db, "refunds.record",
      [id = r.id, refund, retry](pqxx::dbtransaction& tx) {
        return record_provider_refund(tx, id, refund, retry, telegram::texts::builtin());
      },
      refund_sender_db_timeout,
      [self, r](caf::expected<refund_request_outcome> o) { done(self, r, o); });
}

// Only the provider's refusal is final: a timeout, a 5xx or a reply we
// cannot read may hide a refund made, which the same key finds again.
bool is_final(const caf::error& e) {
  auto code = payment_error_code(e);
  return code == payment_errc::rejected || code == payment_errc::unexpected_status ||
         code == payment_errc::invalid_argument;
}

// With the backoff doubling to refund_interval's cap, the eighth attempt
// comes after half an hour or more of failures: an operator should know.
constexpr int attempts_before_alert = 8;

void record_error(refund_sender_actor_t* self, const db::refund_request_row& r,
                  const caf::error& e) {
  auto retry = retry_policy(self->state.cfg);
  auto final_error = is_final(e);
  auto text = to_string(e);
  if (!final_error && r.attempts >= attempts_before_alert) {
    count(self, r.provider, "retrying_long");
    log::error(refund_sender_component,
               "a refund request keeps failing; it is sent again with the same key until the "
               "provider answers",
               {{"request", r.id},
                {"payment", r.payment_id},
                {"provider", r.provider},
                {"attempt", std::to_string(r.attempts)},
                {"error", text}});
  } else if (!final_error) {
    log::warn(refund_sender_component, "refund call failed; sent again with the same key",
              {{"request", r.id}, {"attempt", std::to_string(r.attempts)}, {"error", text}});
  }
  storage::db_request<refund_request_outcome>(
      self, self->state.cfg.wiring.db, "refunds.record_error",
      [id = r.id, text, final_error, retry](pqxx::dbtransaction& tx) {
        return record_refund_error(tx, id, text, final_error, retry);
      },
      refund_sender_db_timeout,
      [self, r](caf::expected<refund_request_outcome> o) { done(self, r, o); });
}

void send_one(refund_sender_actor_t* self, db::refund_request_row r) {
  const auto* p = self->state.cfg.providers.find(r.provider);
  if (!p || !p->supports_refunds())
    return record_error(self, r,
                        caf::make_error(payment_errc::retry_later,
                                        "provider " + r.provider + " makes no refunds here"));
  auto exchange = r.provider_refund_id
                      ? p->refund_status(*r.provider_refund_id)
                      : p->refund({r.id, r.provider_payment_id, money{r.amount_minor, r.currency}});
  if (!exchange) return record_error(self, r, exchange.error());
  auto timeout = self->state.cfg.call_timeout;
  self->request(self->state.cfg.http->get(), timeout + std::chrono::seconds(1),
                provider_call(std::move(exchange->request), timeout))
      .then(
          [self, r, read = std::move(exchange->read)](http_client_response& resp) {
            auto refund = read(resp.status, resp.body);
            if (!refund) return record_error(self, r, refund.error());
            record_refund(self, r, std::move(*refund));
          },
          [self, r](caf::error& e) { record_error(self, r, e); });
}

void lease(refund_sender_actor_t* self) {
  auto& st = self->state;
  if (st.leasing) {
    st.lease_again = true;
    return;
  }
  st.leasing = true;
  st.lease_again = false;
  auto ttl = lease_for(st.cfg);
  storage::db_request<std::vector<db::refund_request_row>>(
      self, st.cfg.wiring.db, "refunds.lease",
      [ttl](pqxx::dbtransaction& tx) { return db::lease_due_refund_requests(tx, batch, ttl); },
      refund_sender_db_timeout,
      [self](caf::expected<std::vector<db::refund_request_row>> rows) {
        auto& st = self->state;
        st.leasing = false;
        if (rows)
          for (auto& r : *rows)
            if (st.in_flight.insert(r.id).second) send_one(self, std::move(r));
        if (st.lease_again) lease(self);
      });
}

caf::behavior refund_sender_actor(refund_sender_actor_t* self, refund_sender_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("refund_sender", *self->state.cfg.registry);
  self->state.metrics = std::make_unique<payment_metrics>(*self->state.cfg.registry);
  publish(self, self->state.cfg.published_as);
  self->send(self, tick_atom_v);
  auto& probe = *self->state.probe;
  return {
      instrumented(self, probe,
                   [self](tick_atom) {
                     lease(self);
                     self->delayed_send(self, self->state.cfg.interval, tick_atom_v);
                   }),
      instrumented(self, probe, [self](jobs_queued_atom) { lease(self); }),
  };
}

}  // namespace

caf::actor spawn_refund_sender(caf::actor_system& sys, refund_sender_config cfg) {
  return sys.spawn(refund_sender_actor, std::move(cfg));
}

}  // namespace vpnbot::payments
