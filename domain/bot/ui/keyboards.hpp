#pragma once

// The bot's inline keyboards, one builder per screen. Labels come from the
// texts catalog; every callback button carries encode_callback() data, so
// whatever a keyboard sends back parses with parse_callback(). Builders that
// take identifiers from outside (plans, methods, payments) fail instead of
// producing a button Telegram would refuse.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/telegram/inline_keyboard.hpp"
#include "adapters/telegram/rendered_keyboard.hpp"
#include "adapters/telegram/result.hpp"
#include "domain/bot/ui/callback_data.hpp"
#include "domain/bot/ui/language.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {

using keyboard_result = result<inline_keyboard, std::string>;

// A button for an action built from numbers and enums only, which always
// encodes (a string taken from outside goes through encode_callback()).
inline_button callback_button(std::string label, const callback_action& a);

// Labels are formatted by the caller (money, durations).
struct plan_option {
  std::string code;
  std::string name;
  std::string duration;
  std::string price;
};

struct subscription_option {
  std::int64_t id = 0;
  std::string plan;
  std::string expires;
};

struct amount_option {
  std::int64_t amount = 0;  // minor units
  std::string label;
};

// Free trial · Buy / My subscriptions / Invite friends · Balance / Help · Language.
// The trial button is left out for users who cannot take one any more.
// offer_location: more than one location (panel) to choose from; admin: a
// last row that opens the admin screen.
inline_keyboard main_menu(const texts& t, language l, bool offer_trial, bool offer_location = false,
                          bool admin = false);
// The same keyboard checked and written once per catalog, language and
// flags, then kept: it goes with nearly every reply. nullptr when the
// catalog's labels make a keyboard Telegram would refuse (sending
// main_menu() then fails with the reason).
std::shared_ptr<const rendered_keyboard> rendered_main_menu(const texts& t, language l,
                                                            bool offer_trial, bool offer_location,
                                                            bool admin);
// A single "main menu" button, under texts that end a flow.
inline_keyboard back_to_menu(const texts& t, language l);

keyboard_result plans_menu(const texts& t, language l, const std::vector<plan_option>& plans);
// methods: provider names with a btn.method.<name> label (stars, yookassa, ...).
keyboard_result payment_methods(const texts& t, language l, std::string_view plan,
                                const std::vector<std::string>& methods);
// An external provider's payment page, and a way out.
keyboard_result waiting_payment(const texts& t, language l, std::string_view pay_url,
                                std::string_view price, std::string_view payment_id);
// For a Telegram Stars invoice: the pay button must come first.
keyboard_result stars_invoice(const texts& t, language l, std::string_view price,
                              std::string_view payment_id);

inline_keyboard subscriptions_list(const texts& t, language l,
                                   const std::vector<subscription_option>& subscriptions);
inline_keyboard subscription_actions(const texts& t, language l, std::int64_t subscription_id,
                                     bool auto_renew);
inline_keyboard invite(const texts& t, language l, std::string_view share_url);
inline_keyboard balance(const texts& t, language l);
// The methods a top-up of `amount` can be paid by, then Back to the amounts.
keyboard_result top_up_methods(const texts& t, language l, std::int64_t amount,
                               const std::vector<std::string>& methods);
inline_keyboard top_up_amounts(const texts& t, language l,
                               const std::vector<amount_option>& amounts);
inline_keyboard help(const texts& t, language l, std::string_view support_url);
inline_keyboard language_menu(const texts& t, language l);
// One button per location (panel name); the chosen one marked.
keyboard_result location_menu(const texts& t, language l, const std::vector<std::string>& panels,
                              const std::string& chosen);

}  // namespace vpnbot::telegram
