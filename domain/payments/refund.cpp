#include "domain/payments/refund.hpp"

#include <nlohmann/json.hpp>

#include "adapters/db/audit_repository.hpp"
#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/referrals_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/subscriptions/provisioning.hpp"

namespace vpnbot::payments {
namespace {

// `whole` scaled by part/of, rounded to the nearest unit, without overflow
// for amounts far beyond any real payment.
int64_t share(int64_t whole, int64_t part, int64_t of) {
  auto scaled = static_cast<__int128>(whole) * part * 2 + of;
  return static_cast<int64_t>(scaled / (static_cast<__int128>(of) * 2));
}

// Debits up to `amount` from the user's balance; what the balance could not
// cover is audited for an operator.
void debit_what_remains(pqxx::dbtransaction& tx, int64_t user_id, int64_t amount,
                        const std::string& currency, const std::string& reason,
                        const std::string& ref) {
  if (amount <= 0) return;
  auto covered = std::min(amount, std::max<int64_t>(db::balance_of(tx, user_id), 0));
  if (covered > 0) db::post_ledger_entry(tx, user_id, -covered, currency, reason, ref);
  if (covered < amount)
    db::audit(
        tx, "system", "refund_shortfall", "user:" + std::to_string(user_id),
        nlohmann::json{{"ref", ref}, {"owed", amount - covered}, {"currency", currency}}.dump());
}

std::optional<std::string> shorten(pqxx::dbtransaction& tx, const db::payment_row& p,
                                   int64_t refunded, const std::string& job_key) {
  auto sub_id = db::subscription_paid_by(tx, p.id);
  if (!sub_id) sub_id = p.subscription_id;
  auto plan = p.plan_id ? db::find_plan_by_id(tx, *p.plan_id) : std::nullopt;
  if (!sub_id || !plan) return std::nullopt;
  auto sub = db::lock_subscription(tx, *sub_id);
  if (!sub) return std::nullopt;
  auto seconds = share(int64_t{plan->def.duration_days} * 86400, refunded, p.amount);
  return subscriptions::take_time(tx, *sub, seconds, job_key).expires_at;
}

void take_back_bonus(pqxx::dbtransaction& tx, const db::payment_row& p, int64_t refunded,
                     const std::string& ref) {
  auto bonus = db::bonus_earned_by(tx, p.id);
  if (!bonus) return;
  auto entry = db::ledger_entry_by_ref(tx, "referral:" + std::to_string(bonus->referee_id));
  if (!entry || entry->delta <= 0) return;
  debit_what_remains(tx, bonus->referrer_id, share(entry->delta, refunded, p.amount),
                     entry->currency, "referral_bonus", "referral_reversal:" + ref);
}

}  // namespace

std::string_view name_of(refund_result r) {
  switch (r) {
    case refund_result::taken_back:
      return "refunded";
    case refund_result::already_applied:
      return "already_refunded";
    case refund_result::unknown_payment:
      return "unknown_payment";
    case refund_result::mismatch:
      return "refund_mismatch";
  }
  return "unknown_payment";
}

refund_outcome take_back(pqxx::dbtransaction& tx, const refund_report& r,
                         const telegram::texts& catalog, telegram::outbox_writer& writer) {
  refund_outcome out;
  // The finalizer's lock order: the payer, the payment, the subscription.
  if (!db::lock_payment_owner(tx, r.payment_id)) return out;
  auto p = db::find_payment_for_update(tx, r.payment_id);
  if (!p || (p->status != "succeeded" && p->status != "refunded")) return out;
  // The payment's row lock orders deliveries: a replay sees the first one.
  if (db::refund_recorded(tx, r.provider, r.refund_id)) {
    out.result = refund_result::already_applied;
    return out;
  }
  auto before = db::refunded_total(tx, p->id);
  if (r.amount <= 0 || r.currency != p->currency || before + r.amount > p->amount) {
    out.result = refund_result::mismatch;
    return out;
  }
  if (!db::record_refund(tx, r.provider, r.refund_id, p->id, r.amount)) {
    out.result = refund_result::already_applied;
    return out;
  }
  out.result = refund_result::taken_back;
  out.fully_refunded = before + r.amount == p->amount;
  if (out.fully_refunded) db::mark_payment_refunded_by_id(tx, p->id);
  auto ref = r.provider + ":" + r.refund_id;
  if (p->purpose == "plan")
    out.new_expiry = shorten(tx, *p, r.amount, "refund:" + ref);
  else
    debit_what_remains(tx, p->user_id, r.amount, p->currency, "refund", "refund:" + ref);
  take_back_bonus(tx, *p, r.amount, ref);
  db::audit(tx, "system", "refund_applied", "payment:" + p->id,
            nlohmann::json{{"refund", ref}, {"amount", r.amount}, {"currency", r.currency}}.dump());

  auto user = db::find_user_by_id(tx, p->user_id);
  if (!user || user->blocked_bot) return out;
  auto lang = telegram::parse_language(user->language).value_or(telegram::language::en);
  auto price = telegram::format_price(r.amount, r.currency);
  auto text =
      out.new_expiry
          ? catalog.message(lang, "refund.subscription",
                            {{"price", price},
                             {"expires", telegram::format_date(catalog, lang, *out.new_expiry)}})
          : catalog.message(lang, "refund.received", {{"price", price}});
  writer.add(telegram::lane::transactional,
             telegram::send_message{.chat_id = user->telegram_id,
                                    .text = text,
                                    .mode = telegram::parse_mode::html,
                                    .reply_markup = telegram::back_to_menu(catalog, lang)});
  return out;
}

}  // namespace vpnbot::payments
