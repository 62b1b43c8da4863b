#include "domain/workers/auto_renewal.hpp"

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/prepared.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/bot/ui/callback_data.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "domain/workers/reminders.hpp"

namespace vpnbot::workers {

step_report renew_from_balance(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                               const notice_context& ctx, const auto_renewal_settings& settings) {
  using namespace telegram;
  step_report report;
  outbox_writer out(tx);
  const auto& t = *ctx.catalog;
  auto due = db::exec_prepared_sql(
      tx,
      std::string(subscription_view_select) +
          "WHERE s.status = 'active' AND s.kind = 'paid' AND s.auto_renew"
          " AND s.expires_at > $1::timestamptz"
          " AND s.expires_at <= $1::timestamptz + make_interval(secs => $2)"
          " AND NOT EXISTS (SELECT 1 FROM balance_ledger l WHERE l.ref = 'auto_renewal:' ||"
          " s.id || ':' || extract(epoch from s.expires_at)::bigint)"
          // Only rows this iteration can act on, so a batch of short balances
          // cannot hold back everyone behind them: sold in the balance's
          // currency, and either paid for or not yet told it is short.
          " AND EXISTS (SELECT 1 FROM plan_prices pp WHERE pp.plan_id = s.plan_id"
          "   AND pp.currency = u.balance_currency AND (u.balance >= pp.amount"
          "   OR NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key ="
          "     'auto_renewal_short:' || s.id || ':' || extract(epoch from s.expires_at)::bigint)))"
          // The user too, in the mode the ledger debit takes it: with both
          // held this step never waits for a finalizer (user, then
          // subscription) and cannot deadlock with one.
          " ORDER BY s.expires_at LIMIT $3 FOR UPDATE OF s, u SKIP LOCKED",
      iso_utc(now), static_cast<double>(settings.window.count()), ctx.batch);
  for (const auto& row : due) {
    auto s = to_view(row);
    auto user = db::find_user_by_id(tx, s.user_id);
    auto plan = db::find_plan_by_id(tx, s.plan_id);
    if (!user || !plan) continue;
    auto price = plan->def.prices.find(user->balance_currency);
    if (price == plan->def.prices.end()) continue;  // not sold in the balance's currency
    auto period = std::to_string(s.id) + ":" + std::to_string(s.expires_epoch);
    auto ref = "auto_renewal:" + period;
    auto shown_price = format_price(price->second, price->first);
    auto outcome =
        db::post_ledger_entry(tx, s.user_id, -price->second, price->first, "auto_renewal", ref);
    if (outcome == db::ledger_outcome::insufficient_funds) {
      inline_keyboard kb{{{inline_button::callback(
          t.label(s.lang, "btn.top_up"), encode_callback(open_screen{screen::top_up}).value())}}};
      notify_once(tx, out, s, "auto_renewal_short", "auto_renewal_short:" + period,
                  t.message(s.lang, "autorenew.insufficient",
                            {{"plan", s.plan_title},
                             {"price", shown_price},
                             {"balance", format_price(user->balance, user->balance_currency)},
                             {"expires", format_date(t, s.lang, s.expires_at)}}),
                  kb, lane::transactional);
      continue;
    }
    if (outcome != db::ledger_outcome::applied) continue;
    auto sub = db::find_subscription(tx, s.id);
    auto expiry = db::extended_expiry(tx, s.id, plan->def.duration_days);
    subscriptions::extend(tx, *sub, expiry, ref);
    notify_once(tx, out, s, "auto_renewed", ref,
                t.message(s.lang, "autorenew.done",
                          {{"plan", s.plan_title},
                           {"price", shown_price},
                           {"expires", format_date(t, s.lang, expiry)}}),
                std::nullopt, lane::transactional);
    ++report.processed;
  }
  report.outbox_ids = out.ids();
  return report;
}

}  // namespace vpnbot::workers
