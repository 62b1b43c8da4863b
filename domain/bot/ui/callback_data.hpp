#pragma once

// What a button press asks for, and its compact callback_data form (Telegram
// allows 1-64 bytes). The scheme is "<tag>:<field>[:<field>]":
//
//   m:<screen>          open a screen (m:main, m:buy, m:subs, ..., m:admin, m:promo)
//   p:<plan>            a plan was chosen
//   pm:<plan>:<method>  a payment method for a plan was chosen
//   pc:<payment>        cancel a pending payment
//   s:<id>  q:<id>  r:<id>   a subscription: open it, its QR code, extend it
//   ar:<id>:<0|1>       switch its auto-renewal off or on
//   t:<amount>[:<method>]  top up the balance by an amount (minor units), by a method
//   l:<en|ru>           switch the language
//   au:<op>:<user>[:<days>]  an admin's action on a user (by Telegram id):
//                       c card, g/t grant/take days, b balance prompt,
//                       x ban, u unban, k resend the key
//   af:<user>:<payment> an admin refunds a payment of that user
//   ad:<choice>         an admin's choice for the broadcast being composed
//   ab:<op>:<id>        a broadcast: r refresh, p pause, u resume, c cancel
//   ax:<code>           an admin disables a promo code
//
// m:astats, m:afind, m:abcast, m:apromos and m:apnew are the admin's screens;
// needs_admin() says which actions are for `bot.admin_ids` only.
//
// Text fields (plan, method, payment) are 1-40 of [A-Za-z0-9_-]; numbers are
// canonical decimal int64. Anything else, including data from an older
// version of the bot, fails to parse: the caller answers with the main menu.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/telegram/result.hpp"
#include "domain/bot/ui/language.hpp"

namespace vpnbot::telegram {

enum class screen {
  main,
  trial,
  buy,
  subscriptions,
  invite,
  balance,
  help,
  language,
  top_up,
  admin,
  location,
  promo,
  admin_stats,
  admin_find,
  admin_broadcast,
  admin_promos,
  admin_promo_new
};

struct open_screen {
  screen to = screen::main;
  bool operator==(const open_screen&) const = default;
};
struct choose_plan {
  std::string plan;
  bool operator==(const choose_plan&) const = default;
};
struct choose_method {
  std::string plan;
  std::string method;
  bool operator==(const choose_method&) const = default;
};
struct cancel_payment {
  std::string payment;
  bool operator==(const cancel_payment&) const = default;
};
struct open_subscription {
  std::int64_t id = 0;
  bool operator==(const open_subscription&) const = default;
};
struct show_qr {
  std::int64_t id = 0;
  bool operator==(const show_qr&) const = default;
};
struct renew_subscription {
  std::int64_t id = 0;
  bool operator==(const renew_subscription&) const = default;
};
struct set_auto_renew {
  std::int64_t id = 0;
  bool on = false;
  bool operator==(const set_auto_renew&) const = default;
};
struct top_up {
  std::int64_t amount = 0;
  std::string method;  // empty: the method is still to be chosen
  bool operator==(const top_up&) const = default;
};
struct choose_language {
  language lang = language::en;
  bool operator==(const choose_language&) const = default;
};

struct choose_location {
  std::string panel;  // the panel's name
  bool operator==(const choose_location&) const = default;
};

struct admin_user {
  enum class op { card, grant, take, balance, ban, unban, resend_key };
  std::int64_t telegram_id = 0;
  op what = op::card;
  std::int64_t days = 0;  // grant and take only: positive
  bool operator==(const admin_user&) const = default;
};
struct admin_refund {
  std::int64_t telegram_id = 0;  // the payer, whose card shows the result
  std::string payment;
  bool operator==(const admin_refund&) const = default;
};
// A choice for the broadcast draft: seg_<segment>, seg_lang_<en|ru>,
// btn_none, btn_menu, btn_url or send; the screen decides what it knows.
struct admin_draft {
  std::string choice;
  bool operator==(const admin_draft&) const = default;
};
struct admin_broadcast {
  enum class op { refresh, pause, resume, cancel };
  std::int64_t id = 0;
  op what = op::refresh;
  bool operator==(const admin_broadcast&) const = default;
};
struct admin_promo_disable {
  std::string code;
  bool operator==(const admin_promo_disable&) const = default;
};

using callback_action =
    std::variant<open_screen, choose_plan, choose_method, cancel_payment, open_subscription,
                 show_qr, renew_subscription, set_auto_renew, top_up, choose_language,
                 choose_location, admin_user, admin_refund, admin_draft, admin_broadcast,
                 admin_promo_disable>;

// The admin screens and actions: a non-admin pressing one gets the main menu.
bool needs_admin(const callback_action& action);

// Fails when a text field is not a valid identifier or the result exceeds 64 bytes.
result<std::string, std::string> encode_callback(const callback_action& action);
result<callback_action, std::string> parse_callback(std::string_view data);

}  // namespace vpnbot::telegram
