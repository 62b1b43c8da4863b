// Entering a promo code: from the menu (the bot asks for the code as free
// text; the session's data holds "awaiting": "promo_code" until a code is
// redeemed, Cancel, a command or another button) or as a /start deep link.

#include "adapters/db/ledger_repository.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/promo/redemption.hpp"

namespace vpnbot::telegram::screens {
namespace {

constexpr const char* awaiting_promo = "promo_code";

inline_keyboard cancel_only(turn& t) {
  return {{{inline_button::callback(t.t().label(t.lang, "btn.cancel"),
                                    encode_callback(open_screen{screen::main}).value())}}};
}

std::string applied_text(turn& t, const promo::redemption& r) {
  if (r.kind == "days")
    return t.t().message(t.lang, "promo.applied_days",
                         {{"duration", t.t().plural(t.lang, "plural.days", r.amount)},
                          {"expires", format_date(t.t(), t.lang, r.granted_expiry.value_or(""))}});
  if (r.kind == "balance_credit")
    return t.t().message(
        t.lang, "promo.applied_balance",
        {{"amount", format_price(r.amount, *r.currency)},
         {"balance", format_price(db::balance_of(t.tx, t.user.id), t.user.balance_currency)}});
  auto off = r.kind == "percent_off" ? std::to_string(r.amount) + "%"
                                     : format_price(r.amount, r.currency.value_or(""));
  return t.t().message(t.lang, "promo.applied_discount", {{"discount", off}});
}

}  // namespace

bool awaits_promo_code(const turn& t) {
  return t.data.value(awaiting_key, "") == awaiting_promo;
}

void leave_promo_entry(turn& t) {
  t.data.erase(awaiting_key);
}

view promo_prompt_view(turn& t) {
  t.screen_name = "promo";
  t.data[awaiting_key] = awaiting_promo;
  return {t.t().message(t.lang, "promo.prompt"), cancel_only(t)};
}

std::optional<std::string> promo_reply(turn& t, const std::string& code) {
  auto r = promo::redeem_promo_code(t.tx, t.user.id, code);
  switch (r.result) {
    case promo::redeem_result::applied:
      return applied_text(t, r);
    case promo::redeem_result::unknown:
      return std::nullopt;
    case promo::redeem_result::disabled:
    case promo::redeem_result::expired:
      return t.t().message(t.lang, "promo.expired");
    case promo::redeem_result::used_up:
      return t.t().message(t.lang, "promo.used_up");
    case promo::redeem_result::already_used:
      return t.t().message(t.lang, "promo.already_used");
    case promo::redeem_result::wrong_plan:
      return t.t().message(t.lang, "promo.wrong_plan");
    case promo::redeem_result::wrong_currency:
      return t.t().message(t.lang, "promo.wrong_currency");
  }
  return std::nullopt;
}

view redeem_view(turn& t, const std::string& typed) {
  auto first = typed.find_first_not_of(" \t\n");
  auto code = first == std::string::npos
                  ? std::string()
                  : typed.substr(first, typed.find_last_not_of(" \t\n") - first + 1);
  auto reply = promo_reply(t, code);
  if (!reply) return {t.t().message(t.lang, "promo.unknown"), cancel_only(t)};
  leave_promo_entry(t);
  return main_view(t, *reply);
}

}  // namespace vpnbot::telegram::screens
