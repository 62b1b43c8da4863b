#include "actors/payments/invoice_issuer.hpp"

#include <caf/all.hpp>
#include <set>

#include "actors/actor_probe.hpp"
#include "actors/payments/payment_metrics.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/payments/provider_call.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "domain/outbox/outbox_writer.hpp"
#include "messages/http_client.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::payments {
namespace {

constexpr const char* invoice_issuer_component = "invoices";
constexpr auto invoice_issuer_db_timeout = std::chrono::seconds(15);
constexpr int sweep_batch = 16;

struct issuer_state {
  invoice_issuer_config cfg;
  std::set<std::string> in_flight;  // payment ids being issued now
  bool sweeping = false;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<payment_metrics> metrics;
};

using invoice_issuer_actor_t = caf::stateful_actor<issuer_state>;

void count(invoice_issuer_actor_t* self, const std::string& provider, const std::string& outcome) {
  self->state.metrics->invoices.with({provider, outcome}).inc();
}

// The invoice's words: the plan's title, or "top-up".
struct invoice_text {
  std::string description;
  std::string plan;
};

void record(invoice_issuer_actor_t* self, db::invoice_work w, invoice_text text,
            issued_invoice inv) {
  storage::db_request<std::vector<int64_t>>(
      self, self->state.cfg.wiring.db, "invoices.record",
      [w, text, inv, fence = self->state.cfg.wiring.fence](pqxx::dbtransaction& tx) {
        std::vector<int64_t> ids;
        // On a cluster only the leader records and shows an invoice.
        if (fence && !fence->holds(tx)) return ids;
        if (!db::record_invoice(tx, w.payment_id, inv.provider_invoice_id, inv.pay_url)) return ids;
        const auto& t = telegram::texts::builtin();
        auto lang = telegram::parse_language(w.language).value_or(telegram::language::en);
        auto price = telegram::format_price(w.amount, w.currency);
        auto kb = telegram::waiting_payment(t, lang, inv.pay_url, price, w.payment_id);
        if (!kb) return ids;
        telegram::outbox_writer out(tx);
        auto minutes = std::max<int64_t>(1, w.seconds_left / 60);
        out.add(telegram::lane::transactional,
                telegram::send_message{
                    .chat_id = w.telegram_id,
                    .text = t.message(lang, "payment.waiting",
                                      {{"plan", text.plan},
                                       {"price", price},
                                       {"valid_for", t.plural(lang, "plural.minutes", minutes)}}),
                    .mode = telegram::parse_mode::html,
                    .disable_link_preview = true,
                    .reply_markup = std::move(*kb)});
        return out.ids();
      },
      invoice_issuer_db_timeout,
      [self, w](caf::expected<std::vector<int64_t>> ids) {
        self->state.in_flight.erase(w.payment_id);
        if (!ids) {
          count(self, w.provider, "store_failed");
          log::warn(invoice_issuer_component,
                    "could not record an invoice; the next sweep issues it again",
                    {{"payment", w.payment_id}, {"error", to_string(ids.error())}});
          return;
        }
        count(self, w.provider, ids->empty() ? "already_issued" : "issued");
        self->state.cfg.wiring.kick_outbox(*ids);
      });
}

void failed(invoice_issuer_actor_t* self, const db::invoice_work& w, const std::string& error) {
  self->state.in_flight.erase(w.payment_id);
  count(self, w.provider, "failed");
  log::warn(invoice_issuer_component, "invoice not issued; the next sweep tries again",
            {{"payment", w.payment_id}, {"provider", w.provider}, {"error", error}});
}

void call(invoice_issuer_actor_t* self, db::invoice_work w, invoice_text text,
          provider_exchange<issued_invoice> exchange) {
  auto timeout = self->state.cfg.call_timeout;
  self->request(self->state.cfg.http->get(), timeout + std::chrono::seconds(1),
                provider_call(std::move(exchange.request), timeout))
      .then(
          [self, w, text, read = std::move(exchange.read)](http_client_response& r) {
            auto inv = read(r.status, r.body);
            if (!inv) return failed(self, w, to_string(inv.error()));
            record(self, w, text, std::move(*inv));
          },
          [self, w](caf::error& e) { failed(self, w, to_string(e)); });
}

// A ready link is recorded at once; otherwise the provider is called.
void issue(invoice_issuer_actor_t* self, db::invoice_work w, invoice_text text) {
  const auto* p = self->state.cfg.providers.find(w.provider);
  if (!p) return failed(self, w, "provider " + w.provider + " is not configured");
  auto plan = p->issue(invoice_order{w.payment_id, w.number, money{w.amount, w.currency},
                                     text.description, w.seconds_left});
  if (!plan) return failed(self, w, to_string(plan.error()));
  if (auto* ready = std::get_if<issued_invoice>(&*plan))
    return record(self, w, text, std::move(*ready));
  call(self, w, text, std::get<provider_exchange<issued_invoice>>(std::move(*plan)));
}

invoice_text text_for(pqxx::dbtransaction& tx, const db::invoice_work& w) {
  const auto& t = telegram::texts::builtin();
  auto lang = telegram::parse_language(w.language).value_or(telegram::language::en);
  invoice_text out;
  if (!w.plan_code.empty())
    if (auto plan = db::find_plan(tx, w.plan_code)) out.plan = telegram::plan_title(*plan, lang);
  if (out.plan.empty()) out.plan = t.label(lang, "btn.top_up");
  out.description = out.plan;
  return out;
}

using work_list = std::vector<std::pair<db::invoice_work, invoice_text>>;

void start(invoice_issuer_actor_t* self, work_list items) {
  for (auto& [w, text] : items) {
    if (!self->state.in_flight.insert(w.payment_id).second) continue;
    issue(self, std::move(w), std::move(text));
  }
}

void sweep(invoice_issuer_actor_t* self) {
  auto& st = self->state;
  if (st.sweeping) return;
  st.sweeping = true;
  auto providers = st.cfg.providers.names();
  storage::db_request<work_list>(
      self, self->state.cfg.wiring.db, "invoices.sweep",
      [providers](pqxx::dbtransaction& tx) {
        work_list out;
        for (auto& w : db::payments_to_invoice(tx, providers, sweep_batch)) {
          auto text = text_for(tx, w);
          out.emplace_back(std::move(w), std::move(text));
        }
        return out;
      },
      invoice_issuer_db_timeout,
      [self](caf::expected<work_list> items) {
        self->state.sweeping = false;
        self->delayed_send(self, self->state.cfg.interval, tick_atom_v);
        if (items) start(self, std::move(*items));
      });
}

caf::behavior invoice_issuer_actor(invoice_issuer_actor_t* self, invoice_issuer_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("invoice_issuer", *self->state.cfg.registry);
  self->state.metrics = std::make_unique<payment_metrics>(*self->state.cfg.registry);
  self->send(self, tick_atom_v);
  auto& probe = *self->state.probe;
  return {
      instrumented(self, probe, [self](tick_atom) { sweep(self); }),
  };
}

}  // namespace

caf::actor spawn_invoice_issuer(caf::actor_system& sys, invoice_issuer_config cfg) {
  return sys.spawn(invoice_issuer_actor, std::move(cfg));
}

}  // namespace vpnbot::payments
