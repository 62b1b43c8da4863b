#include "domain/workers/expiry.hpp"

#include <nlohmann/json.hpp>

#include "adapters/db/prepared.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "domain/bot/ui/callback_data.hpp"
#include "domain/subscriptions/job_kind.hpp"
#include "domain/workers/reminders.hpp"

namespace vpnbot::workers {

step_report expire_subscriptions(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                                 const notice_context& ctx, const expiry_settings& settings) {
  using namespace telegram;
  step_report report;
  outbox_writer out(tx);
  const auto& t = *ctx.catalog;
  auto now_iso = iso_utc(now);
  auto due =
      db::exec_prepared_sql(tx,
                            std::string(subscription_view_select) +
                                "WHERE s.status = 'active' AND s.expires_at <= $1::timestamptz"
                                " ORDER BY s.expires_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED",
                            now_iso, ctx.batch);
  for (const auto& row : due) {
    auto s = to_view(row);
    auto period = std::to_string(s.id) + ":" + std::to_string(s.expires_epoch);
    db::set_subscription_status(tx, s.id, "expired");
    subscriptions::enqueue_job(tx, subscriptions::job_kind::disable_client, s.id,
                               "disable_client:" + period);
    bool trial = s.kind == "trial";
    auto text = trial ? t.message(s.lang, "trial.ended")
                      : t.message(s.lang, "subs.expired_notice", {{"plan", s.plan_title}});
    auto action = trial ? encode_callback(open_screen{screen::buy})
                        : encode_callback(renew_subscription{s.id});
    inline_keyboard kb{{{inline_button::callback(t.label(s.lang, trial ? "btn.buy" : "btn.renew"),
                                                 action.value())}}};
    notify_once(tx, out, s, trial ? "trial_ended" : "expired", "expired:" + period, text, kb,
                lane::reminder);
    ++report.processed;
  }
  auto stale = db::exec_prepared_sql(
      tx,
      std::string(subscription_view_select) +
          "WHERE s.status = 'expired'"
          " AND s.expires_at <= $1::timestamptz - make_interval(secs => $2)"
          " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = 'remove_client:' ||"
          " s.id || ':' || extract(epoch from s.expires_at)::bigint)"
          " ORDER BY s.expires_at LIMIT $3",
      now_iso, static_cast<double>(settings.retention.count()), ctx.batch);
  for (const auto& row : stale) {
    auto s = to_view(row);
    subscriptions::enqueue_job(
        tx, subscriptions::job_kind::remove_client, s.id,
        "remove_client:" + std::to_string(s.id) + ":" + std::to_string(s.expires_epoch));
    ++report.processed;
  }
  report.outbox_ids = out.ids();
  return report;
}

}  // namespace vpnbot::workers
