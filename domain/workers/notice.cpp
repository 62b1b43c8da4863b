#include "domain/workers/notice.hpp"

#include <nlohmann/json.hpp>

#include "adapters/db/notifications_repository.hpp"
#include "adapters/telegram/bot_api.hpp"

namespace vpnbot::workers {

const char* const subscription_view_select =
    "SELECT s.id, s.user_id, u.telegram_id, u.language, s.kind,"
    " coalesce(p.titles ->> u.language, p.titles ->> 'en'), p.duration_days, p.id,"
    " to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " extract(epoch from s.expires_at)::bigint, u.blocked_bot"
    " FROM subscriptions s JOIN users u ON u.id = s.user_id JOIN plans p ON p.id = s.plan_id ";

subscription_view to_view(const pqxx::row& r) {
  subscription_view v;
  v.id = r[0].as<int64_t>();
  v.user_id = r[1].as<int64_t>();
  v.telegram_id = r[2].as<int64_t>();
  v.lang = telegram::parse_language(r[3].as<std::string>()).value_or(telegram::language::en);
  v.kind = r[4].as<std::string>();
  v.plan_title = r[5].as<std::string>();
  v.plan_days = r[6].as<int>();
  v.plan_id = r[7].as<int64_t>();
  v.expires_at = r[8].as<std::string>();
  v.expires_epoch = r[9].as<int64_t>();
  v.blocked = r[10].as<bool>();
  return v;
}

bool notify_once(pqxx::dbtransaction& tx, telegram::outbox_writer& out, const subscription_view& s,
                 const std::string& kind, const std::string& dedupe_key, const std::string& text,
                 std::optional<telegram::inline_keyboard> keyboard, telegram::lane lane) {
  auto id = db::claim_notification(tx, s.user_id, kind, dedupe_key,
                                   nlohmann::json{{"subscription_id", s.id}}.dump());
  if (!id) return false;
  if (s.blocked) return false;
  out.add(lane, telegram::send_message{.chat_id = s.telegram_id,
                                       .text = text,
                                       .mode = telegram::parse_mode::html,
                                       .reply_markup = std::move(keyboard)});
  db::mark_notification_sent(tx, *id);
  return true;
}

}  // namespace vpnbot::workers
