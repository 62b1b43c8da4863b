#pragma once

// Bot API requests as data: one parameter struct per method the bot calls and
// build() overloads that validate the parameters against Telegram's limits
// and encode them (JSON; multipart/form-data for the photo upload). Sending is
// someone else's job: an api_request says everything the HTTP client needs.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/telegram/endpoint.hpp"
#include "adapters/telegram/inline_keyboard.hpp"
#include "adapters/telegram/multipart.hpp"
#include "adapters/telegram/rendered_keyboard.hpp"
#include "adapters/telegram/result.hpp"

namespace vpnbot::telegram {

struct api_request {
  std::string method;  // Bot API method name, e.g. "sendMessage"
  std::string http_method = "POST";
  std::string base_url;      // no credentials
  std::string path;          // "/bot<token>/<method>": holds the token, never log it
  std::string redacted_url;  // for logs and errors
  std::string content_type;
  std::string body;
  // The chat a message method writes to: the outbox rate-limits per chat.
  std::optional<std::int64_t> chat_id;
  // How long Telegram may hold the request open (getUpdates long polling);
  // the HTTP client's read timeout must exceed it.
  std::chrono::seconds long_poll{0};

  std::string url() const { return base_url + path; }
};

enum class parse_mode { none, html, markdown_v2 };

// Parameter structs: every member has an initializer, so a caller names only
// what it sets, e.g. send_message{.chat_id = id, .text = t}, warning-free.

struct get_me {};

struct get_updates {
  std::optional<std::int64_t> offset{};
  std::optional<int> limit{};  // 1-100
  int timeout_seconds = 0;     // 0: short poll
  std::optional<std::vector<std::string>> allowed_updates{};
};

struct set_webhook {
  std::string url{};
  std::optional<std::string> ip_address{};
  std::optional<int> max_connections{};  // 1-100
  std::optional<std::vector<std::string>> allowed_updates{};
  bool drop_pending_updates = false;
  std::optional<std::string> secret_token{};  // 1-256 of [A-Za-z0-9_-]
};

struct delete_webhook {
  bool drop_pending_updates = false;
};

struct get_webhook_info {};

struct send_message {
  std::int64_t chat_id = 0;
  std::string text{};  // 1-4096 characters
  parse_mode mode = parse_mode::none;
  bool disable_link_preview = false;
  bool disable_notification = false;
  bool protect_content = false;
  std::optional<inline_keyboard> reply_markup{};
  // Instead of reply_markup (not with it): a keyboard checked and written once.
  std::shared_ptr<const rendered_keyboard> rendered_markup{};
};

struct edit_message_text {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::string text{};
  parse_mode mode = parse_mode::none;
  bool disable_link_preview = false;
  std::optional<inline_keyboard> reply_markup{};
  std::shared_ptr<const rendered_keyboard> rendered_markup{};  // as in send_message
};

// Without reply_markup the keyboard is removed.
struct edit_message_reply_markup {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::optional<inline_keyboard> reply_markup{};
};

struct answer_callback_query {
  std::string callback_query_id{};
  std::optional<std::string> text{};  // 0-200 characters
  bool show_alert = false;
  std::optional<std::string> url{};
  std::optional<int> cache_time{};
};

// A PNG uploaded as a multipart file part (the QR code of a key).
struct send_photo {
  std::int64_t chat_id = 0;
  std::string png{};  // the file's bytes, at most 10 MB
  std::string filename = "image.png";
  std::optional<std::string> caption{};  // 0-1024 characters
  parse_mode mode = parse_mode::none;
  bool protect_content = false;
  std::optional<inline_keyboard> reply_markup{};
};

struct labeled_price {
  std::string label{};
  std::int64_t amount = 0;  // minor units; whole stars for XTR
};

// sendInvoice's text limits, in what telegram_length counts.
inline constexpr std::size_t invoice_title_max = 32;
inline constexpr std::size_t invoice_description_max = 255;
inline constexpr std::size_t invoice_price_label_max = 255;

struct send_invoice {
  std::int64_t chat_id = 0;
  std::string title{};                            // 1-32 characters
  std::string description{};                      // 1-255 characters
  std::string payload{};                          // 1-128 bytes, never shown to the user
  std::string provider_token{};                   // empty for Telegram Stars
  std::string currency{};                         // ISO 4217, or "XTR" for Stars
  std::vector<labeled_price> prices{};            // exactly one for Stars
  std::optional<inline_keyboard> reply_markup{};  // first button must be pay
};

struct answer_pre_checkout_query {
  std::string pre_checkout_query_id{};
  bool ok = true;
  std::optional<std::string> error_message{};  // required when !ok
};

struct refund_star_payment {
  std::int64_t user_id = 0;
  std::string telegram_payment_charge_id{};
};

// The error text names the offending parameter; it never holds the token.
using build_result = result<api_request, std::string>;

build_result build(const endpoint& ep, const get_me& p);
build_result build(const endpoint& ep, const get_updates& p);
build_result build(const endpoint& ep, const set_webhook& p);
build_result build(const endpoint& ep, const delete_webhook& p);
build_result build(const endpoint& ep, const get_webhook_info& p);
build_result build(const endpoint& ep, const send_message& p);
build_result build(const endpoint& ep, const edit_message_text& p);
build_result build(const endpoint& ep, const edit_message_reply_markup& p);
build_result build(const endpoint& ep, const answer_callback_query& p);
build_result build(const endpoint& ep, const send_photo& p,
                   const boundary_source& boundaries = random_boundaries());
build_result build(const endpoint& ep, const send_invoice& p);
build_result build(const endpoint& ep, const answer_pre_checkout_query& p);
build_result build(const endpoint& ep, const refund_star_payment& p);

// Length in UTF-16 code units, never less than what Telegram counts against
// its limits; nullopt for invalid UTF-8.
std::optional<std::size_t> telegram_length(std::string_view utf8);

}  // namespace vpnbot::telegram
