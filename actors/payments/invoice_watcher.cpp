#include "actors/payments/invoice_watcher.hpp"

#include <caf/all.hpp>
#include <charconv>
#include <nlohmann/json.hpp>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "adapters/log/logger.hpp"
#include "domain/payments/payment_events.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::payments {
namespace {

constexpr const char* component = "invoice_watcher";
constexpr auto db_timeout = std::chrono::seconds(10);
constexpr int batch = 100;

struct watcher_state {
  invoice_watcher_config cfg;
  int rounds_in_flight = 0;
  std::unique_ptr<actor_probe> probe;
};

using actor_t = caf::stateful_actor<watcher_state>;

void count(actor_t* self, const std::string& provider, const std::string& outcome) {
  self->state.cfg.registry
      ->get_counter("vpnbot_payment_watcher_checks_total", "Invoices checked by the watcher",
                    {{"provider", provider}, {"outcome", outcome}})
      .inc();
}

// What the watcher learnt, applied like a notification with this event id.
struct finding {
  std::string event_id;
  std::string summary;  // stored as the event's body
  std::optional<payment_confirmation> paid;
  std::string canceled_payment;  // ours, when the provider canceled it
};

void apply(actor_t* self, const std::string& provider, finding f) {
  ++self->state.rounds_in_flight;
  auto ctx = self->state.cfg.finalizer;
  storage::db_request<event_outcome>(
      self, "watcher.apply",
      [provider, f, ctx](pqxx::dbtransaction& tx) {
        auto stored = db::record_webhook_event(tx, provider, f.event_id, f.summary,
                                               R"({"source":"invoice_watcher"})", true);
        if (stored.duplicate && stored.outcome != "not_final")
          return event_outcome{"duplicate", {}};
        if (!f.canceled_payment.empty())
          return apply_cancellation(tx, stored.id, f.canceled_payment);
        return apply_confirmation(tx, stored.id, f.paid, ctx);
      },
      db_timeout,
      [self, provider](caf::expected<event_outcome> r) {
        --self->state.rounds_in_flight;
        if (!r) {
          count(self, provider, "store_failed");
          return;
        }
        count(self, provider, r->outcome);
        if (!r->outbox_ids.empty()) telegram::kick_outbox(self->system(), r->outbox_ids);
      });
}

void check_cryptobot(actor_t* self, const std::vector<db::payment_row>& pending) {
  std::vector<int64_t> ids;
  for (const auto& p : pending) {
    int64_t id = 0;
    const auto& text = p.provider_payment_id.value_or("");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc{} && end == text.data() + text.size()) ids.push_back(id);
  }
  if (ids.empty()) return;
  auto request = cryptobot::get_invoices_request(*self->state.cfg.providers.cryptobot, ids);
  if (!request) return count(self, "cryptobot", "request_invalid");
  auto timeout = self->state.cfg.call_timeout;
  ++self->state.rounds_in_flight;
  self->request(*self->state.cfg.http, timeout + std::chrono::seconds(1),
                provider_call(std::move(*request), timeout))
      .then(
          [self](http_client_response& resp) {
            --self->state.rounds_in_flight;
            auto invoices = cryptobot::read_get_invoices_reply(resp.status, resp.body);
            if (!invoices) return count(self, "cryptobot", "call_failed");
            for (const auto& inv : *invoices) {
              if (inv.status != "paid") {
                count(self, "cryptobot", inv.status);
                continue;
              }
              auto id = std::to_string(inv.invoice_id);
              apply(self, "cryptobot",
                    {"invoice_paid:" + id,
                     nlohmann::json{{"invoice_id", inv.invoice_id}, {"status", inv.status}}.dump(),
                     confirmation_of(inv),
                     {}});
            }
          },
          [self](caf::error&) {
            --self->state.rounds_in_flight;
            count(self, "cryptobot", "call_failed");
          });
}

void check_yookassa(actor_t* self, const db::payment_row& pending) {
  auto request = yookassa::get_payment_request(*self->state.cfg.providers.yookassa,
                                               *pending.provider_payment_id);
  if (!request) return count(self, "yookassa", "request_invalid");
  auto timeout = self->state.cfg.call_timeout;
  ++self->state.rounds_in_flight;
  self->request(*self->state.cfg.http, timeout + std::chrono::seconds(1),
                provider_call(std::move(*request), timeout))
      .then(
          [self](http_client_response& resp) {
            --self->state.rounds_in_flight;
            auto p = yookassa::read_payment_reply(resp.status, resp.body);
            if (!p) return count(self, "yookassa", "call_failed");
            auto summary =
                nlohmann::json{{"id", p->id}, {"status", std::string(to_string(p->status))}}.dump();
            if (p->status == yookassa::payment_status::succeeded)
              apply(self, "yookassa",
                    {"payment.succeeded:" + p->id, summary, confirmation_of(*p), {}});
            else if (p->status == yookassa::payment_status::canceled)
              apply(self, "yookassa",
                    {"payment.canceled:" + p->id, summary, std::nullopt, p->payment_id});
            else
              count(self, "yookassa", "still_pending");
          },
          [self](caf::error&) {
            --self->state.rounds_in_flight;
            count(self, "yookassa", "call_failed");
          });
}

void round(actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.interval, tick_atom_v);
  if (st.rounds_in_flight > 0) return;  // the last round is still out
  auto age = st.cfg.watch_after;
  for (std::string provider : {"cryptobot", "yookassa"}) {
    if ((provider == "cryptobot" && !st.cfg.providers.cryptobot) ||
        (provider == "yookassa" && !st.cfg.providers.yookassa))
      continue;
    ++st.rounds_in_flight;
    storage::db_request<std::vector<db::payment_row>>(
        self, "watcher.pending",
        [provider, age](pqxx::dbtransaction& tx) {
          return db::invoiced_pending_payments(tx, provider, age, batch);
        },
        db_timeout,
        [self, provider](caf::expected<std::vector<db::payment_row>> pending) {
          --self->state.rounds_in_flight;
          if (!pending || pending->empty()) return;
          if (provider == "cryptobot") return check_cryptobot(self, *pending);
          for (const auto& p : *pending) check_yookassa(self, p);
        });
  }
}

caf::behavior invoice_watcher_actor(actor_t* self, invoice_watcher_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("invoice_watcher", *self->state.cfg.registry);
  self->send(self, tick_atom_v);
  log::info(component, "watching pending invoices");
  return {instrumented(self, *self->state.probe, [self](tick_atom) { round(self); })};
}

}  // namespace

caf::actor spawn_invoice_watcher(caf::actor_system& sys, invoice_watcher_config cfg) {
  return sys.spawn(invoice_watcher_actor, std::move(cfg));
}

}  // namespace vpnbot::payments
