#include "domain/workers/reminders.hpp"

#include <algorithm>
#include <ctime>

#include "adapters/db/prepared.hpp"
#include "domain/bot/ui/callback_data.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"

namespace vpnbot::workers {
namespace {

std::string time_left(const telegram::texts& t, telegram::language l, int64_t seconds) {
  auto hours = std::max<int64_t>(1, (seconds + 1800) / 3600);
  if (hours >= 48) return t.plural(l, "plural.days", (hours + 12) / 24);
  return t.plural(l, "plural.hours", hours);
}

telegram::inline_keyboard extend_keyboard(const telegram::texts& t, telegram::language l,
                                          int64_t subscription_id) {
  using namespace telegram;
  return {{{inline_button::callback(t.label(l, "btn.renew"),
                                    encode_callback(renew_subscription{subscription_id}).value())},
           {inline_button::callback(t.label(l, "btn.main_menu"),
                                    encode_callback(open_screen{screen::main}).value())}}};
}

telegram::inline_keyboard buy_keyboard(const telegram::texts& t, telegram::language l) {
  using namespace telegram;
  return {{{inline_button::callback(t.label(l, "btn.buy"),
                                    encode_callback(open_screen{screen::buy}).value())}}};
}

}  // namespace

std::string iso_utc(std::chrono::system_clock::time_point t) {
  auto secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

step_report send_reminders(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                           const notice_context& ctx, const reminder_settings& settings) {
  step_report report;
  telegram::outbox_writer out(tx);
  const auto& t = *ctx.catalog;
  auto offsets = settings.offsets;
  std::sort(offsets.begin(), offsets.end(), std::greater<>());
  auto now_iso = iso_utc(now);
  auto now_epoch = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    auto upper = offsets[i].count();
    auto lower = i + 1 < offsets.size() ? offsets[i + 1].count() : 0;
    auto band = std::to_string(upper) + "s";
    auto rows = db::exec_prepared_sql(
        tx,
        std::string(subscription_view_select) +
            "WHERE s.status = 'active' AND s.kind = 'paid'"
            " AND s.expires_at > $1::timestamptz + make_interval(secs => $2)"
            " AND s.expires_at <= $1::timestamptz + make_interval(secs => $3)"
            " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = 'reminder:' ||"
            " s.id || ':' || extract(epoch from s.expires_at)::bigint || ':' || $4)"
            " ORDER BY s.expires_at LIMIT $5",
        now_iso, static_cast<double>(lower), static_cast<double>(upper), band, ctx.batch);
    for (const auto& row : rows) {
      auto s = to_view(row);
      auto key =
          "reminder:" + std::to_string(s.id) + ":" + std::to_string(s.expires_epoch) + ":" + band;
      auto text = t.message(s.lang, "reminder.expires_soon",
                            {{"plan", s.plan_title},
                             {"expires", telegram::format_date(t, s.lang, s.expires_at)},
                             {"left", time_left(t, s.lang, s.expires_epoch - now_epoch)}});
      if (notify_once(tx, out, s, "reminder", key, text, extend_keyboard(t, s.lang, s.id),
                      telegram::lane::reminder))
        ++report.processed;
    }
  }
  auto trials = db::exec_prepared_sql(
      tx,
      std::string(subscription_view_select) +
          "WHERE s.status = 'active' AND s.kind = 'trial' AND s.expires_at > $1::timestamptz"
          " AND s.expires_at <= $1::timestamptz + make_interval(secs => $2)"
          " AND NOT EXISTS (SELECT 1 FROM notifications n"
          " WHERE n.dedupe_key = 'trial_ending:' || s.id)"
          " ORDER BY s.expires_at LIMIT $3",
      now_iso, static_cast<double>(settings.trial_notice_before.count()), ctx.batch);
  for (const auto& row : trials) {
    auto s = to_view(row);
    auto text = t.message(s.lang, "trial.ending",
                          {{"expires", telegram::format_date(t, s.lang, s.expires_at)}});
    if (notify_once(tx, out, s, "trial_ending", "trial_ending:" + std::to_string(s.id), text,
                    buy_keyboard(t, s.lang), telegram::lane::reminder))
      ++report.processed;
  }
  report.outbox_ids = out.ids();
  return report;
}

}  // namespace vpnbot::workers
