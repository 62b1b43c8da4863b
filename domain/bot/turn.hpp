#pragma once

// One update being handled for one known user, and the screens the bot
// answers with. Each screen is a plain function of the turn: it reads and
// changes what it needs inside the turn's transaction and returns the
// message to show; the conversation (conversation.cpp) sends it.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "adapters/db/menu_facts.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/telegram/inline_keyboard.hpp"
#include "adapters/telegram/rendered_keyboard.hpp"
#include "domain/admin/acting_operator.hpp"
#include "domain/bot/conversation.hpp"
#include "domain/bot/ui/callback_data.hpp"
#include "domain/bot/ui/language.hpp"
#include "domain/bot/ui/texts.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::telegram::screens {

struct view {
  std::string text;
  inline_keyboard keyboard;
  // Set instead of keyboard for a keyboard written once and kept (the main menu).
  std::shared_ptr<const rendered_keyboard> rendered{};

  std::optional<inline_keyboard> markup() const {
    if (rendered) return std::nullopt;
    return keyboard;
  }
};

using reply_writer = outbox_writer;

// One update being handled for one known user.
struct turn {
  pqxx::dbtransaction& tx;
  const bot_profile& bot;
  reply_writer& out;
  db::user_row user;
  language lang = language::en;
  int64_t chat_id = 0;
  // The message a button was pressed under, which the reply edits.
  std::optional<int64_t> message_id{};
  std::string screen_name = "main";
  nlohmann::json data = nlohmann::json::object();  // the session's, carried across turns
  int64_t session_version = 0;
  // The main menu's facts as the update's statement read them, set only on
  // paths that write nothing before showing the menu; main_view uses them
  // once instead of reading them again.
  std::optional<db::menu_facts> menu_facts_read{};

  const texts& t() const { return *bot.catalog; }
  bool is_admin() const {
    return user.is_admin || std::find(bot.admin_ids.begin(), bot.admin_ids.end(),
                                      user.telegram_id) != bot.admin_ids.end();
  }
};

struct callback_result {
  view v;
  std::optional<std::string> toast;
};

// menu.cpp: the main menu and the way to every screen.
view main_view(turn& t, std::string text);
view main_view(turn& t);
view back_view(turn& t, std::string text);
view open(turn& t, screen s);
callback_result act(turn& t, const callback_action& action);

// purchase_screens.cpp: trial, plans, payment methods, orders, top-ups.
// The trial plan, while one is on offer.
std::optional<db::plan_row> trial_plan(turn& t);
view trial_view(turn& t);
view buy_view(turn& t);
view methods_view(turn& t, const std::string& code);
// A pending payment is the hand-off to the payments subsystem, which issues
// the provider's invoice for it and finalizes it.
view start_payment(turn& t, const std::string& code, const std::string& method);
view cancel_view(turn& t, const std::string& payment_id);
view top_up_view(turn& t);
// With more than one method and none chosen yet, the methods to choose from.
view start_top_up(turn& t, int64_t amount, const std::string& method);

// account_screens.cpp: what the user has (subscriptions, balance,
// referrals) and their preferences (language, location, help).
std::optional<db::subscription_row> own_subscription(turn& t, int64_t id);
std::string plan_title_of(turn& t, int64_t plan_id);
view subscriptions_view(turn& t);
view subscription_view(turn& t, int64_t id);
view invite_view(turn& t);
view balance_view(turn& t);
view help_view(turn& t);
view language_view(turn& t);
view location_view(turn& t);
view choose_location_view(turn& t, const std::string& name);

// promo_screens.cpp: a promo code typed after the menu's prompt or sent as
// a /start deep link.
bool awaits_promo_code(const turn& t);
void leave_promo_entry(turn& t);
view promo_prompt_view(turn& t);
// What the bot says to a code: nullopt for a code that does not exist.
std::optional<std::string> promo_reply(turn& t, const std::string& code);
// The code typed while awaited: the main menu with the outcome, or, for an
// unknown code, the prompt again.
view redeem_view(turn& t, const std::string& code);

// admin_screens.cpp: for `bot.admin_ids` only (act() sends anyone else to
// the main menu). The admin's free-text prompts (find a user, a balance
// adjustment, a broadcast's text or link, a promo code line) use the
// session's "awaiting" like the promo prompt, so Cancel, a command or
// another button leaves them.
view admin_view(turn& t);
callback_result admin_act(turn& t, const callback_action& action);
bool awaits_admin_text(const turn& t);
view admin_text_view(turn& t, const std::string& text);
// The prompt for free text: `awaiting` is set and Cancel goes to `back`.
view admin_prompt(turn& t, const std::string& awaiting, std::string text, screen back);
// The session key and the value a prompt awaits; t.data["admin_user"]
// holds the Telegram id a balance prompt is for.
inline constexpr const char* awaiting_key = "awaiting";
// An admin refunds a Telegram Stars payment: refundStarPayment goes out on
// the transactional lane and the payment is marked refunded in the same
// transaction; the time it bought stays (the operator's call).
view refund_view(turn& t, const std::string& payment_id);
// The admin as the acting operator of the admin:: functions.
admin::acting_operator operator_of(const turn& t);

// admin_stats_screen.cpp: admin::collect_stats, readable.
view admin_stats_view(turn& t);

// admin_user_card.cpp: finding a user and their card with its actions.
view find_user_prompt(turn& t);
view find_user_view(turn& t, const std::string& query);
// `result` (HTML), when not empty, is shown above the card.
view user_card_view(turn& t, int64_t telegram_id, const std::string& result = {});
view user_action_view(turn& t, const admin_user& a);
view refund_payment_view(turn& t, const admin_refund& a);
view balance_text_view(turn& t, const std::string& text);

// admin_broadcast_screens.cpp: compose, preview, choose, confirm, follow.
view broadcast_prompt(turn& t);
view broadcast_text_view(turn& t, const std::string& text);
view broadcast_url_view(turn& t, const std::string& text);
view broadcast_choice_view(turn& t, const std::string& choice);
view broadcast_control_view(turn& t, const admin_broadcast& a);

// admin_promo_screens.cpp: list, create from one line, disable.
view promo_list_view(turn& t, const std::string& result = {});
view promo_new_prompt(turn& t);
view promo_line_view(turn& t, const std::string& line);
view promo_disable_view(turn& t, const std::string& code);

}  // namespace vpnbot::telegram::screens
