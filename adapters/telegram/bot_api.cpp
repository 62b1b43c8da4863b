#include "adapters/telegram/bot_api.hpp"

#include "adapters/codec/json_object_writer.hpp"

namespace vpnbot::telegram {

namespace {

// Bodies are written as text, members in sorted key order: what the JSON
// documents once here wrote, byte for byte, without a document per reply.
using codec::json_object_writer;

constexpr std::size_t max_photo_bytes = 10 * 1024 * 1024;
constexpr std::string_view no_preview = R"({"is_disabled":true})";

std::string_view mode_name(parse_mode m) {
  switch (m) {
    case parse_mode::html:
      return "HTML";
    case parse_mode::markdown_v2:
      return "MarkdownV2";
    case parse_mode::none:
      break;
  }
  return {};
}

api_request request_for(const endpoint& ep, std::string method) {
  api_request r;
  r.base_url = ep.base_url();
  r.path = ep.path(method);
  r.redacted_url = ep.redacted_url(method);
  r.method = std::move(method);
  return r;
}

build_result with_json(const endpoint& ep, std::string method, json_object_writer&& params,
                       std::optional<std::int64_t> chat = std::nullopt) {
  auto r = request_for(ep, std::move(method));
  r.content_type = "application/json";
  r.body = params.finish();
  r.chat_id = chat;
  return r;
}

std::optional<std::string> check_length(std::string_view name, std::string_view text,
                                        std::size_t min, std::size_t max) {
  auto n = telegram_length(text);
  if (!n) return std::string(name) + " is not valid UTF-8";
  if (*n < min || *n > max)
    return std::string(name) + " must be " + std::to_string(min) + "-" + std::to_string(max) +
           " characters, is " + std::to_string(*n);
  return std::nullopt;
}

std::optional<std::string> check_keyboard(const std::optional<inline_keyboard>& kb) {
  if (!kb) return std::nullopt;
  if (auto bad = validate(*kb)) return "reply_markup: " + *bad;
  return std::nullopt;
}

template <class Params>
std::optional<std::string> check_markup(const Params& p) {
  if (p.reply_markup && p.rendered_markup) return "reply_markup: given twice (built and rendered)";
  return check_keyboard(p.reply_markup);
}

template <class Params>
void write_markup(json_object_writer& j, const Params& p) {
  if (p.rendered_markup)
    j.json("reply_markup", p.rendered_markup->json());
  else if (p.reply_markup)
    j.json("reply_markup", json_text(*p.reply_markup));
}

bool valid_secret_token(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '-'))
      return false;
  return true;
}

}  // namespace

std::optional<std::size_t> telegram_length(std::string_view s) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    units += len == 4 ? 2 : 1;  // beyond the BMP: a surrogate pair
    i += len;
  }
  return units;
}

build_result build(const endpoint& ep, const get_me&) {
  return with_json(ep, "getMe", json_object_writer());
}

build_result build(const endpoint& ep, const get_updates& p) {
  if (p.limit && (*p.limit < 1 || *p.limit > 100))
    return fail(std::string("getUpdates.limit must be 1-100"));
  if (p.timeout_seconds < 0) return fail(std::string("getUpdates.timeout must not be negative"));
  json_object_writer j;
  if (p.allowed_updates) j.json("allowed_updates", codec::json_string_array(*p.allowed_updates));
  if (p.limit) j.number("limit", *p.limit);
  if (p.offset) j.number("offset", *p.offset);
  j.number("timeout", p.timeout_seconds);
  auto r = with_json(ep, "getUpdates", std::move(j));
  r->long_poll = std::chrono::seconds(p.timeout_seconds);
  return r;
}

build_result build(const endpoint& ep, const set_webhook& p) {
  if (p.url.empty()) return fail(std::string("setWebhook.url must not be empty"));
  if (p.max_connections && (*p.max_connections < 1 || *p.max_connections > 100))
    return fail(std::string("setWebhook.max_connections must be 1-100"));
  if (p.secret_token && !valid_secret_token(*p.secret_token))
    return fail(std::string("setWebhook.secret_token must be 1-256 of A-Z a-z 0-9 _ -"));
  json_object_writer j;
  if (p.allowed_updates) j.json("allowed_updates", codec::json_string_array(*p.allowed_updates));
  if (p.drop_pending_updates) j.boolean("drop_pending_updates", true);
  if (p.ip_address) j.string("ip_address", *p.ip_address);
  if (p.max_connections) j.number("max_connections", *p.max_connections);
  if (p.secret_token) j.string("secret_token", *p.secret_token);
  j.string("url", p.url);
  return with_json(ep, "setWebhook", std::move(j));
}

build_result build(const endpoint& ep, const delete_webhook& p) {
  json_object_writer j;
  if (p.drop_pending_updates) j.boolean("drop_pending_updates", true);
  return with_json(ep, "deleteWebhook", std::move(j));
}

build_result build(const endpoint& ep, const get_webhook_info&) {
  return with_json(ep, "getWebhookInfo", json_object_writer());
}

build_result build(const endpoint& ep, const send_message& p) {
  if (auto bad = check_length("sendMessage.text", p.text, 1, 4096)) return fail(*bad);
  if (auto bad = check_markup(p)) return fail("sendMessage." + *bad);
  json_object_writer j;
  j.number("chat_id", p.chat_id);
  if (p.disable_notification) j.boolean("disable_notification", true);
  if (p.disable_link_preview) j.json("link_preview_options", no_preview);
  if (p.mode != parse_mode::none) j.string("parse_mode", mode_name(p.mode));
  if (p.protect_content) j.boolean("protect_content", true);
  write_markup(j, p);
  j.string("text", p.text);
  return with_json(ep, "sendMessage", std::move(j), p.chat_id);
}

build_result build(const endpoint& ep, const edit_message_text& p) {
  if (auto bad = check_length("editMessageText.text", p.text, 1, 4096)) return fail(*bad);
  if (auto bad = check_markup(p)) return fail("editMessageText." + *bad);
  json_object_writer j;
  j.number("chat_id", p.chat_id);
  if (p.disable_link_preview) j.json("link_preview_options", no_preview);
  j.number("message_id", p.message_id);
  if (p.mode != parse_mode::none) j.string("parse_mode", mode_name(p.mode));
  write_markup(j, p);
  j.string("text", p.text);
  return with_json(ep, "editMessageText", std::move(j), p.chat_id);
}

build_result build(const endpoint& ep, const edit_message_reply_markup& p) {
  if (auto bad = check_keyboard(p.reply_markup)) return fail("editMessageReplyMarkup." + *bad);
  json_object_writer j;
  j.number("chat_id", p.chat_id).number("message_id", p.message_id);
  if (p.reply_markup) j.json("reply_markup", json_text(*p.reply_markup));
  return with_json(ep, "editMessageReplyMarkup", std::move(j), p.chat_id);
}

build_result build(const endpoint& ep, const answer_callback_query& p) {
  if (p.callback_query_id.empty())
    return fail(std::string("answerCallbackQuery.callback_query_id must not be empty"));
  if (p.text)
    if (auto bad = check_length("answerCallbackQuery.text", *p.text, 0, 200)) return fail(*bad);
  json_object_writer j;
  if (p.cache_time) j.number("cache_time", *p.cache_time);
  j.string("callback_query_id", p.callback_query_id);
  if (p.show_alert) j.boolean("show_alert", true);
  if (p.text) j.string("text", *p.text);
  if (p.url) j.string("url", *p.url);
  return with_json(ep, "answerCallbackQuery", std::move(j));
}

build_result build(const endpoint& ep, const send_photo& p, const boundary_source& boundaries) {
  if (p.png.empty() || p.png.size() > max_photo_bytes)
    return fail(std::string("sendPhoto.photo must be 1 byte to 10 MB"));
  if (p.caption)
    if (auto bad = check_length("sendPhoto.caption", *p.caption, 0, 1024)) return fail(*bad);
  if (auto bad = check_keyboard(p.reply_markup)) return fail("sendPhoto." + *bad);
  // Uploads cannot travel as JSON: every field becomes a text part, the
  // keyboard a JSON-serialized string.
  std::vector<form_part> parts;
  parts.push_back(form_part::text("chat_id", std::to_string(p.chat_id)));
  parts.push_back(form_part::file("photo", p.filename, "image/png", p.png));
  if (p.caption) parts.push_back(form_part::text("caption", *p.caption));
  if (p.mode != parse_mode::none)
    parts.push_back(form_part::text("parse_mode", std::string(mode_name(p.mode))));
  if (p.protect_content) parts.push_back(form_part::text("protect_content", "true"));
  if (p.reply_markup) parts.push_back(form_part::text("reply_markup", json_text(*p.reply_markup)));
  auto encoded = encode_multipart(parts, boundaries);
  if (!encoded) return fail("sendPhoto: " + encoded.error());
  auto r = request_for(ep, "sendPhoto");
  r.content_type = std::move(encoded->content_type);
  r.body = std::move(encoded->body);
  r.chat_id = p.chat_id;
  return r;
}

build_result build(const endpoint& ep, const send_invoice& p) {
  if (auto bad = check_length("sendInvoice.title", p.title, 1, invoice_title_max))
    return fail(*bad);
  if (auto bad = check_length("sendInvoice.description", p.description, 1, invoice_description_max))
    return fail(*bad);
  if (p.payload.empty() || p.payload.size() > 128)
    return fail(std::string("sendInvoice.payload must be 1-128 bytes"));
  if (p.currency.size() != 3) return fail(std::string("sendInvoice.currency must be 3 letters"));
  if (p.prices.empty()) return fail(std::string("sendInvoice.prices must not be empty"));
  for (const auto& price : p.prices) {
    if (auto bad =
            check_length("sendInvoice.prices.label", price.label, 1, invoice_price_label_max))
      return fail(*bad);
    if (price.amount <= 0) return fail(std::string("sendInvoice.prices.amount must be positive"));
  }
  if (p.currency == "XTR") {
    if (p.prices.size() != 1)
      return fail(std::string("sendInvoice: a Stars invoice takes exactly one price"));
    if (!p.provider_token.empty())
      return fail(std::string("sendInvoice: a Stars invoice takes no provider_token"));
  }
  if (auto bad = check_keyboard(p.reply_markup)) return fail("sendInvoice." + *bad);
  if (p.reply_markup && (p.reply_markup->rows.empty() ||
                         p.reply_markup->rows.front().front().kind != inline_button::action::pay))
    return fail(std::string("sendInvoice.reply_markup: the first button must be a pay button"));
  std::string prices = "[";
  for (const auto& price : p.prices) {
    if (prices.size() > 1) prices += ',';
    prices +=
        json_object_writer().number("amount", price.amount).string("label", price.label).finish();
  }
  prices += ']';
  json_object_writer j;
  j.number("chat_id", p.chat_id).string("currency", p.currency);
  j.string("description", p.description).string("payload", p.payload).json("prices", prices);
  if (!p.provider_token.empty()) j.string("provider_token", p.provider_token);
  if (p.reply_markup) j.json("reply_markup", json_text(*p.reply_markup));
  j.string("title", p.title);
  return with_json(ep, "sendInvoice", std::move(j), p.chat_id);
}

build_result build(const endpoint& ep, const answer_pre_checkout_query& p) {
  if (p.pre_checkout_query_id.empty())
    return fail(std::string("answerPreCheckoutQuery.pre_checkout_query_id must not be empty"));
  if (!p.ok && (!p.error_message || p.error_message->empty()))
    return fail(std::string("answerPreCheckoutQuery.error_message is required when ok is false"));
  json_object_writer j;
  if (p.error_message) j.string("error_message", *p.error_message);
  j.boolean("ok", p.ok).string("pre_checkout_query_id", p.pre_checkout_query_id);
  return with_json(ep, "answerPreCheckoutQuery", std::move(j));
}

build_result build(const endpoint& ep, const refund_star_payment& p) {
  if (p.telegram_payment_charge_id.empty())
    return fail(std::string("refundStarPayment.telegram_payment_charge_id must not be empty"));
  json_object_writer j;
  j.string("telegram_payment_charge_id", p.telegram_payment_charge_id).number("user_id", p.user_id);
  return with_json(ep, "refundStarPayment", std::move(j));
}

}  // namespace vpnbot::telegram
