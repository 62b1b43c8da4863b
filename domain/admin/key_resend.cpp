#include "domain/admin/key_resend.hpp"

#include "adapters/db/prepared.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/subscriptions/key_delivery.hpp"

namespace vpnbot::admin {

action_result<key_resent> resend_key(pqxx::dbtransaction& tx, const acting_operator& who,
                                     int64_t telegram_id, telegram::outbox_writer& out) {
  auto u = db::find_user_by_telegram_id(tx, telegram_id);
  if (!u) return not_found("no user with Telegram id " + std::to_string(telegram_id));
  if (u->blocked_bot) return conflict("the user has blocked the bot");
  auto r = db::exec_prepared_sql(
      tx,
      "SELECT id, access_link FROM subscriptions WHERE user_id = $1 AND access_link IS NOT NULL"
      " ORDER BY id DESC LIMIT 1",
      u->id);
  if (r.empty()) return conflict("the user has no key issued yet");
  auto before = out.count();
  auto lang = telegram::parse_language(u->language).value_or(telegram::language::en);
  subscriptions::send_key(out, u->telegram_id, lang, r[0][1].as<std::string>());
  key_resent done{r[0][0].as<int64_t>(), out.count() - before};
  audit_action(tx, who, "resend_key", "user:" + std::to_string(telegram_id),
               {{"subscription", done.subscription_id}});
  return done;
}

}  // namespace vpnbot::admin
