#include <algorithm>

#include "adapters/codec/utf8.hpp"
#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/payments/stars.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/promo/discount.hpp"
#include "domain/subscriptions/provisioning.hpp"

namespace vpnbot::telegram::screens {
namespace {

// Top-up amounts offered, in minor units of the balance currency.
constexpr int64_t top_up_choices[] = {10000, 30000, 50000, 100000};

// The price a plan is shown with: the fiat currency, else Stars, else any.
std::optional<std::pair<std::string, int64_t>> display_price(const turn& t, const db::plan_row& p) {
  for (const auto& c : {t.bot.currency, std::string(payments::stars::currency)})
    if (auto it = p.def.prices.find(c); it != p.def.prices.end()) return *it;
  if (p.def.prices.empty()) return std::nullopt;
  return *p.def.prices.begin();
}

std::string method_currency(const turn& t, const std::string& method) {
  return method == payments::stars::provider_name ? std::string(payments::stars::currency)
                                                  : t.bot.currency;
}

std::optional<db::plan_row> plan_for_sale(turn& t, const std::string& code) {
  auto plan = db::find_plan(t.tx, code);
  if (!plan || !plan->active || plan->def.is_trial) return std::nullopt;
  return plan;
}

// The order's price as the user reads it: a promo discount shows the list
// price struck through and what was taken off.
std::string order_text(turn& t, const std::string& what, const promo::order_price& price,
                       const std::string& currency) {
  auto shown = format_price(price.amount, currency);
  if (!price.list_amount)
    return t.t().message(t.lang, "payment.preparing", {{"plan", what}, {"price", shown}});
  return t.t().message(t.lang, "payment.preparing_discounted",
                       {{"plan", what},
                        {"list_price", format_price(*price.list_amount, currency)},
                        {"price", shown},
                        {"discount", format_price(*price.list_amount - price.amount, currency)}});
}

view order_view(turn& t, const std::string& id, std::string text) {
  t.screen_name = "awaiting_payment";
  t.data["payment"] = id;
  inline_keyboard kb{
      {{inline_button::callback(t.t().label(t.lang, "btn.cancel"),
                                encode_callback(cancel_payment{id}).value())},
       {inline_button::callback(t.t().label(t.lang, "btn.main_menu"),
                                encode_callback(open_screen{screen::main}).value())}}};
  return {std::move(text), std::move(kb)};
}

// Buying with the balance: a payment, the ledger debit and the finalizer in
// this one transaction; refused when the balance is short, with nothing
// changed but a failed payment on record.
view pay_from_balance(turn& t, const db::plan_row& plan) {
  const auto& currency = t.user.balance_currency;
  auto list = plan.def.prices.find(currency);
  if (list == plan.def.prices.end()) return methods_view(t, plan.def.code);
  auto price = promo::price_order(t.tx, t.user.id, plan.def.code, currency, list->second);
  db::new_payment p;
  p.user_id = t.user.id;
  p.purpose = "plan";
  p.plan_id = plan.id;
  p.provider = "balance";
  p.amount = price.amount;
  p.currency = currency;
  p.promo_redemption_id = price.promo_redemption_id;
  p.list_amount = price.list_amount;
  auto id = db::create_payment(t.tx, p);
  promo::hold_for_order(t.tx, price, id);
  auto debit =
      db::post_ledger_entry(t.tx, t.user.id, -price.amount, currency, "purchase", "purchase:" + id);
  if (debit != db::ledger_outcome::applied) {
    db::mark_payment_if_pending(t.tx, id, "failed");
    return back_view(t, t.t().message(t.lang, "payment.insufficient_balance",
                                      {{"balance", format_price(t.user.balance, currency)},
                                       {"price", format_price(price.amount, currency)}}));
  }
  payments::finalizer_context ctx{t.bot.catalog, t.bot.referral_bonus};
  payments::finalize_payment(t.tx, {id, "balance", id, price.amount, currency}, ctx, t.out);
  return main_view(t);
}

}  // namespace

std::optional<db::plan_row> trial_plan(turn& t) {
  for (auto& p : db::active_plans(t.tx))
    if (p.def.is_trial) return p;
  return std::nullopt;
}

view trial_view(turn& t) {
  auto plan = trial_plan(t);
  if (!plan) return back_view(t, t.t().message(t.lang, "trial.unavailable"));
  if (db::trial_taken(t.tx, t.user.id))
    return back_view(t, t.t().message(t.lang, "trial.already_used"));
  auto row = subscriptions::provision(t.tx, t.user.id, *plan, "trial",
                                      "create_client:trial:" + std::to_string(t.user.id));
  if (!row) return back_view(t, t.t().message(t.lang, "trial.already_used"));
  t.screen_name = "trial";
  auto duration = t.t().plural(t.lang, "plural.days", plan->def.duration_days);
  return back_view(t, t.t().message(t.lang, "trial.preparing", {{"duration", duration}}));
}

view buy_view(turn& t) {
  std::vector<plan_option> options;
  for (const auto& p : db::active_plans(t.tx)) {
    if (p.def.is_trial) continue;
    auto price = display_price(t, p);
    if (!price) continue;
    options.push_back({p.def.code, plan_title(p, t.lang),
                       t.t().plural(t.lang, "plural.days", p.def.duration_days),
                       format_price(price->second, price->first)});
  }
  t.screen_name = "buy";
  if (options.empty()) return back_view(t, t.t().message(t.lang, "plans.empty"));
  return {t.t().message(t.lang, "plans.title"), plans_menu(t.t(), t.lang, options).value()};
}

view methods_view(turn& t, const std::string& code) {
  auto plan = plan_for_sale(t, code);
  if (!plan) return buy_view(t);
  std::vector<std::string> methods;
  for (const auto& m : t.bot.payment_methods)
    if (plan->def.prices.count(method_currency(t, m))) methods.push_back(m);
  // Money on the balance can buy the plan directly.
  if (t.user.balance > 0 && plan->def.prices.count(t.user.balance_currency))
    methods.push_back("balance");
  auto price = display_price(t, *plan);
  auto kb = payment_methods(t.t(), t.lang, plan->def.code, methods);
  if (!kb || !price) return buy_view(t);
  t.screen_name = "payment_method";
  t.data["plan"] = plan->def.code;
  auto text =
      t.t().message(t.lang, "payment.choose_method",
                    {{"plan", plan_title(*plan, t.lang)},
                     {"duration", t.t().plural(t.lang, "plural.days", plan->def.duration_days)},
                     {"price", format_price(price->second, price->first)}});
  if (promo::holds_discount_for_other_plans(t.tx, t.user.id, plan->def.code))
    text += "\n\n" + t.t().message(t.lang, "promo.not_for_plan");
  return {std::move(text), std::move(*kb)};
}

view start_payment(turn& t, const std::string& code, const std::string& method) {
  auto plan = plan_for_sale(t, code);
  if (!plan) return buy_view(t);
  if (method == "balance") return pay_from_balance(t, *plan);
  if (std::find(t.bot.payment_methods.begin(), t.bot.payment_methods.end(), method) ==
      t.bot.payment_methods.end())
    return methods_view(t, code);
  auto currency = method_currency(t, method);
  auto list = plan->def.prices.find(currency);
  if (list == plan->def.prices.end()) return methods_view(t, code);
  auto price = promo::price_order(t.tx, t.user.id, plan->def.code, currency, list->second);
  db::new_payment p;
  p.user_id = t.user.id;
  p.purpose = "plan";
  p.plan_id = plan->id;
  p.provider = method;
  p.amount = price.amount;
  p.currency = currency;
  p.ttl_seconds = static_cast<int>(t.bot.payment_ttl.count());
  p.promo_redemption_id = price.promo_redemption_id;
  p.list_amount = price.list_amount;
  auto id = db::create_payment(t.tx, p);
  promo::hold_for_order(t.tx, price, id);
  auto title = plan_title(*plan, t.lang);
  auto shown = format_price(price.amount, currency);
  if (method == payments::stars::provider_name) {
    // Stars are paid inside Telegram: the invoice goes out now, and the
    // successful_payment update comes back to this conversation. A long
    // plan title is cut to Telegram's limits rather than the invoice refused.
    auto kb = stars_invoice(t.t(), t.lang, shown, id);
    auto utf16 = codec::text_unit::utf16_units;
    if (kb)
      t.out.add(
          lane::interactive,
          send_invoice{
              .chat_id = t.chat_id,
              .title = codec::truncate_utf8(t.t().label(t.lang, "invoice.title", {{"plan", title}}),
                                            invoice_title_max, utf16),
              .description = codec::truncate_utf8(
                  t.t().label(
                      t.lang, "invoice.description",
                      {{"duration", t.t().plural(t.lang, "plural.days", plan->def.duration_days)}}),
                  invoice_description_max, utf16),
              .payload = id,
              .provider_token = "",
              .currency = std::string(payments::stars::currency),
              .prices = {{codec::truncate_utf8(title, invoice_price_label_max, utf16),
                          price.amount}},
              .reply_markup = std::move(*kb)});
  }
  return order_view(t, id, order_text(t, title, price, currency));
}

view cancel_view(turn& t, const std::string& payment_id) {
  if (!panel::is_uuid(payment_id)) return main_view(t);
  auto p = db::find_payment_for_update(t.tx, payment_id);
  if (!p || p->user_id != t.user.id || p->status != "pending" ||
      !db::mark_payment_if_pending(t.tx, payment_id, "failed"))
    return main_view(t, t.t().message(t.lang, "payment.not_found"));
  t.data.erase("payment");
  return main_view(t, t.t().message(t.lang, "payment.cancelled"));
}

view top_up_view(turn& t) {
  std::vector<amount_option> amounts;
  for (auto a : top_up_choices) amounts.push_back({a, format_price(a, t.user.balance_currency)});
  t.screen_name = "top_up";
  return {t.t().message(t.lang, "balance.top_up_prompt"), top_up_amounts(t.t(), t.lang, amounts)};
}

view start_top_up(turn& t, int64_t amount, const std::string& chosen) {
  auto allowed = std::find(std::begin(top_up_choices), std::end(top_up_choices), amount) !=
                 std::end(top_up_choices);
  // Stars cannot fill a balance kept in the fiat currency.
  std::vector<std::string> methods;
  for (const auto& m : t.bot.payment_methods)
    if (m != payments::stars::provider_name) methods.push_back(m);
  if (!allowed || methods.empty()) return top_up_view(t);
  if (chosen.empty() && methods.size() > 1) {
    auto kb = top_up_methods(t.t(), t.lang, amount, methods);
    if (!kb) return top_up_view(t);
    t.screen_name = "top_up_method";
    return {t.t().message(t.lang, "balance.top_up_method",
                          {{"amount", format_price(amount, t.user.balance_currency)}}),
            std::move(*kb)};
  }
  auto method = chosen.empty() ? methods.front() : chosen;
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) return top_up_view(t);
  db::new_payment p;
  p.user_id = t.user.id;
  p.purpose = "topup";
  p.provider = method;
  p.amount = amount;
  p.currency = t.user.balance_currency;
  p.ttl_seconds = static_cast<int>(t.bot.payment_ttl.count());
  auto id = db::create_payment(t.tx, p);
  return order_view(
      t, id,
      order_text(t, t.t().label(t.lang, "btn.top_up"), {amount, {}, {}}, t.user.balance_currency));
}

}  // namespace vpnbot::telegram::screens
