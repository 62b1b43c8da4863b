#include "actors/payments/invoice_watcher.hpp"

#include <caf/all.hpp>
#include <map>

#include "actors/actor_probe.hpp"
#include "actors/payments/payment_metrics.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/payments/provider_call.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "domain/payments/payment_events.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::payments {
namespace {

constexpr const char* invoice_watcher_component = "invoice_watcher";
constexpr auto invoice_watcher_db_timeout = std::chrono::seconds(10);
constexpr int batch = 100;

struct watcher_state {
  invoice_watcher_config cfg;
  int rounds_in_flight = 0;
  // Late lookups, per provider: when its next pass starts, and where its
  // pass stands (the last payment id asked about; empty: from the start).
  std::map<std::string, caf::actor_clock::time_point> late_due;
  std::map<std::string, std::string> late_cursor;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<payment_metrics> metrics;
};

using invoice_watcher_actor_t = caf::stateful_actor<watcher_state>;

void count(invoice_watcher_actor_t* self, const std::string& provider, const std::string& outcome) {
  self->state.metrics->watcher_checks.with({provider, outcome}).inc();
}

// A finding applied like a notification with its event id.
void apply(invoice_watcher_actor_t* self, const std::string& provider, lookup_finding f) {
  ++self->state.rounds_in_flight;
  auto ctx = self->state.cfg.finalizer;
  storage::db_request<event_outcome>(
      self, self->state.cfg.wiring.db, "watcher.apply",
      [provider, f, ctx, fence = self->state.cfg.wiring.fence](pqxx::dbtransaction& tx) {
        // On a cluster only the leader applies what it found.
        if (fence && !fence->holds(tx)) return event_outcome{"not_leader", {}};
        auto stored = db::record_webhook_event(tx, provider, f.event_id, f.summary,
                                               R"({"source":"invoice_watcher"})", true);
        if (stored.duplicate && stored.outcome != "not_final")
          return event_outcome{"duplicate", {}};
        return apply_verdict(tx, stored.id, f.verdict, ctx);
      },
      invoice_watcher_db_timeout,
      [self, provider](caf::expected<event_outcome> r) {
        --self->state.rounds_in_flight;
        if (!r) {
          count(self, provider, "store_failed");
          return;
        }
        count(self, provider, r->outcome);
        self->state.cfg.wiring.kick_outbox(r->outbox_ids);
      });
}

void ask(invoice_watcher_actor_t* self, const std::string& provider,
         provider_exchange<std::vector<lookup_finding>> exchange) {
  auto timeout = self->state.cfg.call_timeout;
  ++self->state.rounds_in_flight;
  self->request(self->state.cfg.http->get(), timeout + std::chrono::seconds(1),
                provider_call(std::move(exchange.request), timeout))
      .then(
          [self, provider, read = std::move(exchange.read)](http_client_response& resp) {
            --self->state.rounds_in_flight;
            auto findings = read(resp.status, resp.body);
            if (!findings) return count(self, provider, "call_failed");
            for (auto& f : *findings) {
              if (f.event_id.empty())
                count(self, provider, f.status);
              else
                apply(self, provider, std::move(f));
            }
          },
          [self, provider](caf::error&) {
            --self->state.rounds_in_flight;
            count(self, provider, "call_failed");
          });
}

void check(invoice_watcher_actor_t* self, const provider& p,
           const std::vector<db::payment_row>& rows) {
  std::vector<pending_invoice> pending;
  for (const auto& r : rows) pending.push_back({r.id, r.provider_payment_id.value_or("")});
  for (auto& exchange : p.lookup(pending)) {
    if (!exchange) {
      count(self, p.name(), "request_invalid");
      continue;
    }
    ask(self, p.name(), std::move(*exchange));
  }
}

// One page per provider and round until its pass is through, then its next
// pass after late_interval.
void late_round(invoice_watcher_actor_t* self) {
  auto& st = self->state;
  if (st.cfg.late_days == 0) return;
  for (const auto& p : st.cfg.providers) {
    auto name = p->name();
    if (!p->supports_lookup() || self->clock().now() < st.late_due[name]) continue;
    ++st.rounds_in_flight;
    auto after = st.late_cursor[name];
    auto days = st.cfg.late_days;
    storage::db_request<std::vector<db::payment_row>>(
        self, self->state.cfg.wiring.db, "watcher.late",
        [name, days, after](pqxx::dbtransaction& tx) {
          return db::late_lookup_payments(tx, name, days, after, batch);
        },
        invoice_watcher_db_timeout,
        [self, p, name](caf::expected<std::vector<db::payment_row>> late) {
          auto& st = self->state;
          --st.rounds_in_flight;
          if (!late) return;
          if (late->size() < static_cast<std::size_t>(batch)) {
            st.late_cursor.erase(name);
            st.late_due[name] = self->clock().now() + st.cfg.late_interval;
          } else {
            st.late_cursor[name] = late->back().id;
          }
          if (!late->empty()) check(self, *p, *late);
        });
  }
}

void round(invoice_watcher_actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.interval, tick_atom_v);
  if (st.rounds_in_flight > 0) return;  // the last round is still out
  late_round(self);
  auto age = st.cfg.watch_after;
  for (const auto& p : st.cfg.providers) {
    if (!p->supports_lookup()) continue;
    ++st.rounds_in_flight;
    auto name = p->name();
    storage::db_request<std::vector<db::payment_row>>(
        self, self->state.cfg.wiring.db, "watcher.pending",
        [name, age](pqxx::dbtransaction& tx) {
          return db::invoiced_pending_payments(tx, name, age, batch);
        },
        invoice_watcher_db_timeout,
        [self, p](caf::expected<std::vector<db::payment_row>> pending) {
          --self->state.rounds_in_flight;
          if (!pending || pending->empty()) return;
          check(self, *p, *pending);
        });
  }
}

caf::behavior invoice_watcher_actor(invoice_watcher_actor_t* self, invoice_watcher_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("invoice_watcher", *self->state.cfg.registry);
  self->state.metrics = std::make_unique<payment_metrics>(*self->state.cfg.registry);
  self->send(self, tick_atom_v);
  log::info(invoice_watcher_component, "watching pending invoices");
  return {instrumented(self, *self->state.probe, [self](tick_atom) { round(self); })};
}

}  // namespace

caf::actor spawn_invoice_watcher(caf::actor_system& sys, invoice_watcher_config cfg) {
  return sys.spawn(invoice_watcher_actor, std::move(cfg));
}

}  // namespace vpnbot::payments
