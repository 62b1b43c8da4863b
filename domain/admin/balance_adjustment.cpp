#include "domain/admin/balance_adjustment.hpp"

#include <regex>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"

namespace vpnbot::admin {

action_result<balance_adjusted> adjust_balance(pqxx::dbtransaction& tx, const acting_operator& who,
                                               int64_t telegram_id, const balance_adjustment& a) {
  if (a.delta_minor == 0) return bad_input("delta_minor", "expected a non-zero amount");
  static const std::regex currency("^[A-Z]{3,5}$");
  if (!std::regex_match(a.currency, currency))
    return bad_input("currency", "expected a currency code such as RUB");
  if (a.note.size() > max_note_length)
    return bad_input("note", "at most " + std::to_string(max_note_length) + " bytes");
  auto u = db::find_user_by_telegram_id(tx, telegram_id);
  if (!u) return not_found("no user with Telegram id " + std::to_string(telegram_id));
  if (a.currency != u->balance_currency)
    return bad_input("currency", "the user's balance is kept in " + u->balance_currency);
  auto ref = "admin:" + panel::new_client_uuid();
  auto posted =
      db::post_ledger_entry(tx, u->id, a.delta_minor, a.currency, "admin_adjustment", ref);
  if (posted == db::ledger_outcome::insufficient_funds)
    return conflict("the balance is " + std::to_string(u->balance) + " " + u->balance_currency +
                    ", less than the debit");
  auto balance = db::balance_of(tx, u->id);
  audit_action(tx, who, "adjust_balance", "user:" + std::to_string(telegram_id),
               {{"delta_minor", a.delta_minor},
                {"currency", a.currency},
                {"note", a.note},
                {"ref", ref},
                {"balance_minor", balance}});
  return balance_adjusted{balance, a.currency, ref};
}

}  // namespace vpnbot::admin
