#pragma once

// Bot API objects the bot reads, trimmed to the fields it uses. Ids are
// int64: user ids may need 52 bits and chat ids of supergroups are negative
// 13-digit numbers. Optional fields are std::optional; anything the parser
// does not know is ignored.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vpnbot::telegram {

struct user {
  std::int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> username;
  std::optional<std::string> language_code;  // IETF tag, e.g. "ru" or "en-US"
};

struct chat {
  std::int64_t id = 0;
  std::string type;  // private | group | supergroup | channel
  std::optional<std::string> title;
  std::optional<std::string> username;
  std::optional<std::string> first_name;
};

struct successful_payment {
  std::string currency;
  std::int64_t total_amount = 0;  // minor units; stars for XTR
  std::string invoice_payload;
  std::string telegram_payment_charge_id;
  std::string provider_payment_charge_id;
  std::optional<std::int64_t> subscription_expiration_date;
  bool is_recurring = false;
  bool is_first_recurring = false;
};

struct refunded_payment {
  std::string currency;
  std::int64_t total_amount = 0;
  std::string invoice_payload;
  std::string telegram_payment_charge_id;
  std::optional<std::string> provider_payment_charge_id;
};

struct message {
  std::int64_t message_id = 0;
  std::optional<user> from;
  struct chat chat;
  std::int64_t date = 0;  // Unix time
  std::optional<std::string> text;
  std::optional<std::string> caption;
  std::optional<struct successful_payment> successful_payment;
  std::optional<struct refunded_payment> refunded_payment;
};

// A message the bot can no longer read (Telegram sends date == 0); only its
// address is known, which is enough to edit or replace it.
struct inaccessible_message {
  struct chat chat;
  std::int64_t message_id = 0;
};

using callback_message = std::variant<message, inaccessible_message>;

struct callback_query {
  std::string id;
  user from;
  std::optional<callback_message> message;
  std::optional<std::string> inline_message_id;
  std::string chat_instance;
  std::optional<std::string> data;
};

struct pre_checkout_query {
  std::string id;
  user from;
  std::string currency;
  std::int64_t total_amount = 0;
  std::string invoice_payload;
  std::optional<std::string> shipping_option_id;
};

// The bot's own membership changed; in a private chat new_status "kicked"
// means the user blocked the bot and "member" that they unblocked it.
struct chat_member_updated {
  struct chat chat;
  user from;
  std::int64_t date = 0;
  std::string old_status;
  std::string new_status;

  bool blocked_by_user() const { return chat.type == "private" && new_status == "kicked"; }
  bool unblocked_by_user() const { return chat.type == "private" && new_status == "member"; }
};

// At most one of the optionals is set. An update of a kind the bot does not
// handle (inline_query, poll, ...) parses with all of them empty.
struct update {
  std::int64_t update_id = 0;
  std::optional<struct message> message;
  std::optional<struct message> edited_message;
  std::optional<struct callback_query> callback_query;
  std::optional<struct pre_checkout_query> pre_checkout_query;
  std::optional<chat_member_updated> my_chat_member;
};

struct webhook_info {
  std::string url;  // empty: polling mode
  bool has_custom_certificate = false;
  std::int64_t pending_update_count = 0;
  std::optional<std::int64_t> last_error_date;
  std::optional<std::string> last_error_message;
  std::optional<int> max_connections;
  std::vector<std::string> allowed_updates;
};

// The chat and message a callback's button sits on, whether readable or not.
inline const chat& chat_of(const callback_message& m) {
  return std::visit([](const auto& x) -> const chat& { return x.chat; }, m);
}
inline std::int64_t message_id_of(const callback_message& m) {
  return std::visit([](const auto& x) { return x.message_id; }, m);
}

// The user an update is about: the key for routing it to a session.
inline std::optional<std::int64_t> sender_id(const update& u) {
  if (u.message && u.message->from) return u.message->from->id;
  if (u.edited_message && u.edited_message->from) return u.edited_message->from->id;
  if (u.callback_query) return u.callback_query->from.id;
  if (u.pre_checkout_query) return u.pre_checkout_query->from.id;
  if (u.my_chat_member) return u.my_chat_member->from.id;
  return std::nullopt;
}

}  // namespace vpnbot::telegram
