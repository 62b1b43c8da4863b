#include "domain/payments/payment_finalizer.hpp"

#include <nlohmann/json.hpp>

#include "adapters/db/audit_repository.hpp"
#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/referrals_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/outbox/outbox_writer.hpp"
#include "domain/promo/discount.hpp"
#include "domain/subscriptions/provisioning.hpp"

namespace vpnbot::payments {
namespace {

// We gave up on these ourselves (the TTL ran out, the user cancelled); the
// provider may still take the money afterwards, and then it is granted.
bool given_up_by_us(const std::string& status) {
  return status == "expired" || status == "failed";
}

}  // namespace

finalize_outcome finalize_payment(pqxx::dbtransaction& tx, const payment_confirmation& c,
                                  const finalizer_context& ctx, telegram::outbox_writer& writer) {
  finalize_outcome out;
  if (!panel::is_uuid(c.payment_id)) return out;
  // Locks in this order: the user, the payment, the subscription. The user
  // first, as a conversation turn (which updates the user before it touches
  // a payment) and the ledger take it; holding it makes choosing or creating
  // the subscription to extend one finalization at a time per user.
  // Auto-renewal takes the subscription and the user with SKIP LOCKED, so it
  // never waits for a finalization holding them.
  if (!db::lock_payment_owner(tx, c.payment_id)) return out;
  auto payment = db::find_payment_for_update(tx, c.payment_id);
  if (!payment) return out;
  bool late = given_up_by_us(payment->status);
  if (payment->status != "pending" && !late) {
    out.result = finalize_result::already_final;
    out.granted_expiry = payment->granted_expiry;
    return out;
  }
  if (payment->provider != c.provider || payment->amount != c.amount ||
      payment->currency != c.currency) {
    db::mark_payment_mismatch(tx, payment->id);
    nlohmann::json details{{"status", payment->status},
                           {"expected",
                            {{"provider", payment->provider},
                             {"amount", payment->amount},
                             {"currency", payment->currency}}},
                           {"received",
                            {{"provider", c.provider},
                             {"amount", c.amount},
                             {"currency", c.currency},
                             {"provider_payment_id", c.provider_payment_id}}}};
    db::audit(tx, "finalizer", "payment_mismatch", "payment:" + payment->id, details.dump());
    out.result = finalize_result::mismatch;
    return out;
  }
  if (!c.provider_payment_id.empty())
    db::set_provider_payment_id(tx, payment->id, c.provider_payment_id);
  if (late)
    db::audit(tx, "finalizer", "payment_paid_late", "payment:" + payment->id,
              nlohmann::json{{"status", payment->status},
                             {"provider", c.provider},
                             {"provider_payment_id", c.provider_payment_id},
                             {"amount", c.amount},
                             {"currency", c.currency}}
                  .dump());

  auto user = db::find_user_by_id(tx, payment->user_id);
  auto lang =
      telegram::parse_language(user ? user->language : "en").value_or(telegram::language::en);
  const auto& t = *ctx.catalog;
  auto price = telegram::format_price(payment->amount, payment->currency);
  std::string text;
  if (payment->purpose == "plan") {
    auto plan = db::find_plan_by_id(tx, *payment->plan_id);
    if (!plan) throw std::runtime_error("payment " + payment->id + " names a missing plan");
    std::optional<db::subscription_row> sub;
    if (payment->subscription_id) sub = db::find_subscription(tx, *payment->subscription_id);
    if (!sub) sub = db::latest_paid_subscription(tx, payment->user_id);
    auto job_key = "payment:" + payment->id;
    if (sub) {
      auto expiry = db::extended_expiry(tx, sub->id, plan->def.duration_days);
      subscriptions::extend(tx, *sub, expiry, job_key);
      out.granted_expiry = expiry;
    } else {
      sub = subscriptions::provision(tx, payment->user_id, *plan, "paid", job_key);
      out.granted_expiry = sub->expires_at;
    }
    out.subscription_id = sub->id;
    db::mark_payment_succeeded(tx, payment->id, out.granted_expiry);
    // The price included a promo discount: this payment spends it. Another
    // order that spent it first was cancelled by this one's creation and
    // paid late anyway; the customer paid what we asked, so it still counts.
    if (!promo::spend_discount(tx, *payment))
      db::audit(tx, "finalizer", "promo_discount_spent_before", "payment:" + payment->id,
                nlohmann::json{{"promo_redemption_id", *payment->promo_redemption_id}}.dump());
    text = t.message(lang, "payment.received",
                     {{"price", price},
                      {"plan", plan_title(*plan, lang)},
                      {"expires", telegram::format_date(t, lang, *out.granted_expiry)}});
  } else {
    // The ledger refuses a currency other than the balance's: the payment
    // stays pending for an operator rather than crediting the wrong unit.
    db::post_ledger_entry(tx, payment->user_id, payment->amount, payment->currency, "topup",
                          "payment:" + payment->id);
    db::mark_payment_succeeded(tx, payment->id, std::nullopt);
    text = t.message(lang, "balance.topped_up",
                     {{"price", price},
                      {"amount", telegram::format_price(db::balance_of(tx, payment->user_id),
                                                        payment->currency)}});
  }
  if (ctx.referral_bonus > 0)
    if (auto referrer_id = db::claim_referral_bonus(tx, payment->user_id, payment->id))
      if (auto referrer = db::find_user_by_id(tx, *referrer_id))
        db::post_ledger_entry(tx, referrer->id, ctx.referral_bonus, referrer->balance_currency,
                              "referral_bonus", "referral:" + std::to_string(payment->user_id));
  if (user)
    writer.add(telegram::lane::transactional,
               telegram::send_message{.chat_id = user->telegram_id,
                                      .text = text,
                                      .mode = telegram::parse_mode::html,
                                      .reply_markup = telegram::back_to_menu(t, lang)});
  out.result = late ? finalize_result::granted_late : finalize_result::granted;
  return out;
}

}  // namespace vpnbot::payments
