#include "domain/admin/user_ban.hpp"

#include "adapters/db/prepared.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "domain/bot/ui/texts.hpp"
#include "domain/subscriptions/job_kind.hpp"

namespace vpnbot::admin {
namespace {

action_result<ban_change> set_banned(pqxx::dbtransaction& tx, const acting_operator& who,
                                     int64_t telegram_id, bool banned,
                                     telegram::outbox_writer& out) {
  auto u = db::find_user_by_telegram_id(tx, telegram_id);
  if (!u) return not_found("no user with Telegram id " + std::to_string(telegram_id));
  if (u->banned == banned) return ban_change{false, 0};
  db::exec_prepared_sql(tx, "UPDATE users SET banned = $2 WHERE id = $1", u->id, banned);
  // The live ones: active and within their time (ban or not).
  auto live = db::exec_prepared_sql(
      tx,
      "SELECT id FROM subscriptions WHERE user_id = $1 AND status = 'active' AND expires_at >"
      " now() ORDER BY id FOR UPDATE",
      u->id);
  auto kind =
      banned ? subscriptions::job_kind::disable_client : subscriptions::job_kind::enable_client;
  // Each ban and unban is its own panel work: a fresh key per change.
  auto change = panel::new_client_uuid();
  for (const auto& row : live) {
    auto id = row[0].as<int64_t>();
    subscriptions::enqueue_job(
        tx, kind, id, std::string(banned ? "ban:" : "unban:") + std::to_string(id) + ":" + change);
  }
  if (!u->blocked_bot) {
    const auto& t = telegram::texts::builtin();
    auto lang = telegram::parse_language(u->language).value_or(telegram::language::en);
    out.add(telegram::lane::transactional,
            telegram::send_message{
                .chat_id = u->telegram_id,
                .text = t.message(lang, banned ? "account.banned" : "account.unbanned")});
  }
  auto count = static_cast<int>(live.size());
  audit_action(tx, who, banned ? "ban" : "unban", "user:" + std::to_string(telegram_id),
               {{"subscriptions", count}});
  return ban_change{true, count};
}

}  // namespace

action_result<ban_change> ban_user(pqxx::dbtransaction& tx, const acting_operator& who,
                                   int64_t telegram_id, telegram::outbox_writer& out) {
  return set_banned(tx, who, telegram_id, true, out);
}

action_result<ban_change> unban_user(pqxx::dbtransaction& tx, const acting_operator& who,
                                     int64_t telegram_id, telegram::outbox_writer& out) {
  return set_banned(tx, who, telegram_id, false, out);
}

}  // namespace vpnbot::admin
