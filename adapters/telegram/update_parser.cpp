#include "adapters/telegram/update_parser.hpp"

#include <algorithm>
#include <limits>

namespace vpnbot::telegram {

namespace {

using nlohmann::json;

// Thrown by the field readers below and caught at this file's public
// boundary: each type's reader stays a flat list of fields.
struct malformed {
  std::string reason;
};

std::string at(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

[[noreturn]] void reject(const std::string& path, std::string_view expected) {
  throw malformed{path + ": expected " + std::string(expected)};
}

const json* field(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& object_at(const json& j, const std::string& path) {
  if (!j.is_object()) reject(path, "an object");
  return j;
}

// Integers only (no 1.5, no "1"), and only those that fit in int64.
std::optional<std::int64_t> as_int64(const json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return std::nullopt;
}

std::int64_t to_int64(const json& v, const std::string& path) {
  auto n = as_int64(v);
  if (!n) reject(path, "an integer");
  return *n;
}

std::int64_t req_int(const json& obj, const std::string& path, std::string_view key) {
  const json* v = field(obj, key);
  if (!v) reject(at(path, key), "an integer");
  return to_int64(*v, at(path, key));
}

std::optional<std::int64_t> opt_int(const json& obj, const std::string& path,
                                    std::string_view key) {
  const json* v = field(obj, key);
  if (!v) return std::nullopt;
  return to_int64(*v, at(path, key));
}

std::string req_string(const json& obj, const std::string& path, std::string_view key) {
  const json* v = field(obj, key);
  if (!v || !v->is_string()) reject(at(path, key), "a string");
  return v->get<std::string>();
}

std::optional<std::string> opt_string(const json& obj, const std::string& path,
                                      std::string_view key) {
  const json* v = field(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) reject(at(path, key), "a string");
  return v->get<std::string>();
}

bool opt_bool(const json& obj, const std::string& path, std::string_view key) {
  const json* v = field(obj, key);
  if (!v) return false;
  if (!v->is_boolean()) reject(at(path, key), "a boolean");
  return v->get<bool>();
}

user read_user(const json& j, const std::string& path) {
  object_at(j, path);
  user u;
  u.id = req_int(j, path, "id");
  u.is_bot = opt_bool(j, path, "is_bot");
  u.first_name = req_string(j, path, "first_name");
  u.last_name = opt_string(j, path, "last_name");
  u.username = opt_string(j, path, "username");
  u.language_code = opt_string(j, path, "language_code");
  return u;
}

chat read_chat(const json& j, const std::string& path) {
  object_at(j, path);
  chat c;
  c.id = req_int(j, path, "id");
  c.type = req_string(j, path, "type");
  c.title = opt_string(j, path, "title");
  c.username = opt_string(j, path, "username");
  c.first_name = opt_string(j, path, "first_name");
  return c;
}

const json* opt_object(const json& obj, const std::string& path, std::string_view key) {
  const json* v = field(obj, key);
  if (v) object_at(*v, at(path, key));
  return v;
}

const json& req_object(const json& obj, const std::string& path, std::string_view key) {
  const json* v = field(obj, key);
  if (!v) reject(at(path, key), "an object");
  return object_at(*v, at(path, key));
}

successful_payment read_successful_payment(const json& j, const std::string& path) {
  successful_payment p;
  p.currency = req_string(j, path, "currency");
  p.total_amount = req_int(j, path, "total_amount");
  p.invoice_payload = req_string(j, path, "invoice_payload");
  p.telegram_payment_charge_id = req_string(j, path, "telegram_payment_charge_id");
  p.provider_payment_charge_id = req_string(j, path, "provider_payment_charge_id");
  p.subscription_expiration_date = opt_int(j, path, "subscription_expiration_date");
  p.is_recurring = opt_bool(j, path, "is_recurring");
  p.is_first_recurring = opt_bool(j, path, "is_first_recurring");
  return p;
}

refunded_payment read_refunded_payment(const json& j, const std::string& path) {
  refunded_payment p;
  p.currency = req_string(j, path, "currency");
  p.total_amount = req_int(j, path, "total_amount");
  p.invoice_payload = req_string(j, path, "invoice_payload");
  p.telegram_payment_charge_id = req_string(j, path, "telegram_payment_charge_id");
  p.provider_payment_charge_id = opt_string(j, path, "provider_payment_charge_id");
  return p;
}

message read_message(const json& j, const std::string& path) {
  object_at(j, path);
  message m;
  m.message_id = req_int(j, path, "message_id");
  if (auto* f = opt_object(j, path, "from")) m.from = read_user(*f, at(path, "from"));
  m.chat = read_chat(req_object(j, path, "chat"), at(path, "chat"));
  m.date = req_int(j, path, "date");
  m.text = opt_string(j, path, "text");
  m.caption = opt_string(j, path, "caption");
  if (auto* p = opt_object(j, path, "successful_payment"))
    m.successful_payment = read_successful_payment(*p, at(path, "successful_payment"));
  if (auto* p = opt_object(j, path, "refunded_payment"))
    m.refunded_payment = read_refunded_payment(*p, at(path, "refunded_payment"));
  return m;
}

callback_message read_callback_message(const json& j, const std::string& path) {
  object_at(j, path);
  // MaybeInaccessibleMessage: date 0 marks the inaccessible variant.
  if (req_int(j, path, "date") == 0)
    return inaccessible_message{read_chat(req_object(j, path, "chat"), at(path, "chat")),
                                req_int(j, path, "message_id")};
  return read_message(j, path);
}

callback_query read_callback_query(const json& j, const std::string& path) {
  callback_query q;
  q.id = req_string(j, path, "id");
  q.from = read_user(req_object(j, path, "from"), at(path, "from"));
  if (auto* m = opt_object(j, path, "message"))
    q.message = read_callback_message(*m, at(path, "message"));
  q.inline_message_id = opt_string(j, path, "inline_message_id");
  q.chat_instance = req_string(j, path, "chat_instance");
  q.data = opt_string(j, path, "data");
  return q;
}

pre_checkout_query read_pre_checkout_query(const json& j, const std::string& path) {
  pre_checkout_query q;
  q.id = req_string(j, path, "id");
  q.from = read_user(req_object(j, path, "from"), at(path, "from"));
  q.currency = req_string(j, path, "currency");
  q.total_amount = req_int(j, path, "total_amount");
  q.invoice_payload = req_string(j, path, "invoice_payload");
  q.shipping_option_id = opt_string(j, path, "shipping_option_id");
  return q;
}

chat_member_updated read_chat_member_updated(const json& j, const std::string& path) {
  chat_member_updated c;
  c.chat = read_chat(req_object(j, path, "chat"), at(path, "chat"));
  c.from = read_user(req_object(j, path, "from"), at(path, "from"));
  c.date = req_int(j, path, "date");
  c.old_status =
      req_string(req_object(j, path, "old_chat_member"), at(path, "old_chat_member"), "status");
  c.new_status =
      req_string(req_object(j, path, "new_chat_member"), at(path, "new_chat_member"), "status");
  return c;
}

update read_update(const json& j) {
  update u;
  u.update_id = req_int(j, "", "update_id");
  if (auto* m = opt_object(j, "", "message")) u.message = read_message(*m, "message");
  if (auto* m = opt_object(j, "", "edited_message"))
    u.edited_message = read_message(*m, "edited_message");
  if (auto* q = opt_object(j, "", "callback_query"))
    u.callback_query = read_callback_query(*q, "callback_query");
  if (auto* q = opt_object(j, "", "pre_checkout_query"))
    u.pre_checkout_query = read_pre_checkout_query(*q, "pre_checkout_query");
  if (auto* c = opt_object(j, "", "my_chat_member"))
    u.my_chat_member = read_chat_member_updated(*c, "my_chat_member");
  return u;
}

template <class T, class Read>
result<T, std::string> guarded(const json& j, Read read) {
  try {
    return read(j);
  } catch (const malformed& m) {
    return fail(m.reason);
  }
}

}  // namespace

result<update, parse_error> parse_update(const json& j) {
  if (!j.is_object()) return fail(parse_error{std::nullopt, "update: expected an object"});
  // Read first and on its own, so even a broken update can be confirmed.
  std::optional<std::int64_t> id;
  if (const json* v = field(j, "update_id")) id = as_int64(*v);
  auto parsed = guarded<update>(j, read_update);
  if (!parsed) return fail(parse_error{id, parsed.error()});
  return std::move(*parsed);
}

result<update, parse_error> parse_update(std::string_view body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return fail(parse_error{std::nullopt, "update: not valid JSON"});
  return parse_update(j);
}

result<update_batch, std::string> parse_updates(const json& result) {
  if (!result.is_array()) return fail(std::string("getUpdates result: expected an array"));
  update_batch batch;
  auto see = [&](std::int64_t id) {
    if (id < std::numeric_limits<std::int64_t>::max())
      batch.next_offset = std::max(batch.next_offset.value_or(id + 1), id + 1);
  };
  for (const auto& entry : result) {
    auto u = parse_update(entry);
    if (u) {
      see(u->update_id);
      batch.updates.push_back(std::move(*u));
    } else {
      if (u.error().update_id) see(*u.error().update_id);
      batch.skipped.push_back(u.error());
    }
  }
  return batch;
}

result<user, std::string> parse_user(const json& j) {
  return guarded<user>(j, [](const json& x) { return read_user(x, "user"); });
}

result<message, std::string> parse_message(const json& j) {
  return guarded<message>(j, [](const json& x) { return read_message(x, "message"); });
}

result<webhook_info, std::string> parse_webhook_info(const json& j) {
  return guarded<webhook_info>(j, [](const json& x) {
    const std::string path = "webhook_info";
    object_at(x, path);
    webhook_info w;
    w.url = req_string(x, path, "url");
    w.has_custom_certificate = opt_bool(x, path, "has_custom_certificate");
    w.pending_update_count = req_int(x, path, "pending_update_count");
    w.last_error_date = opt_int(x, path, "last_error_date");
    w.last_error_message = opt_string(x, path, "last_error_message");
    if (auto v = opt_int(x, path, "max_connections")) w.max_connections = static_cast<int>(*v);
    if (const json* a = field(x, "allowed_updates")) {
      if (!a->is_array()) reject(at(path, "allowed_updates"), "an array of strings");
      for (const auto& s : *a) {
        if (!s.is_string()) reject(at(path, "allowed_updates"), "an array of strings");
        w.allowed_updates.push_back(s.get<std::string>());
      }
    }
    return w;
  });
}

}  // namespace vpnbot::telegram
