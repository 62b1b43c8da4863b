#include "adapters/telegram/update_parser.hpp"

#include <algorithm>
#include <limits>

#include "adapters/codec/json_tree.hpp"

namespace vpnbot::telegram {

namespace {

using codec::json_tree;
using codec::json_value;
using nlohmann::json;

// Thrown by the field readers below and caught at this file's public
// boundary: each type's reader stays a flat list of fields.
struct malformed {
  std::string reason;
};

// Where a field sits ("message.chat.id"), spelled out only for an error:
// a reader passes the keys down without building a string per field.
struct path {
  const path* parent = nullptr;
  std::string_view key;

  std::string str() const {
    auto head = parent ? parent->str() : std::string();
    if (key.empty()) return head;
    return head.empty() ? std::string(key) : head + "." + std::string(key);
  }
};

const path root{};

path at(const path& p, std::string_view key) {
  return {&p, key};
}

[[noreturn]] void reject(const path& p, std::string_view expected) {
  throw malformed{p.str() + ": expected " + std::string(expected)};
}

std::optional<json_value> field(const json_value& obj, std::string_view key) {
  auto v = obj.find(key);
  if (!v || v->is_null()) return std::nullopt;
  return v;
}

const json_value& object_at(const json_value& j, const path& p) {
  if (!j.is_object()) reject(p, "an object");
  return j;
}

std::int64_t to_int64(const json_value& v, const path& p) {
  auto n = v.as_int64();
  if (!n) reject(p, "an integer");
  return *n;
}

std::int64_t req_int(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (!v) reject(at(p, key), "an integer");
  return to_int64(*v, at(p, key));
}

std::optional<std::int64_t> opt_int(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (!v) return std::nullopt;
  return to_int64(*v, at(p, key));
}

std::string req_string(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (!v || !v->is_string()) reject(at(p, key), "a string");
  return v->text();
}

std::optional<std::string> opt_string(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) reject(at(p, key), "a string");
  return v->text();
}

bool opt_bool(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (!v) return false;
  if (!v->is_boolean()) reject(at(p, key), "a boolean");
  return v->boolean();
}

user read_user(const json_value& j, const path& p) {
  object_at(j, p);
  user u;
  u.id = req_int(j, p, "id");
  u.is_bot = opt_bool(j, p, "is_bot");
  u.first_name = req_string(j, p, "first_name");
  u.last_name = opt_string(j, p, "last_name");
  u.username = opt_string(j, p, "username");
  u.language_code = opt_string(j, p, "language_code");
  return u;
}

chat read_chat(const json_value& j, const path& p) {
  object_at(j, p);
  chat c;
  c.id = req_int(j, p, "id");
  c.type = req_string(j, p, "type");
  c.title = opt_string(j, p, "title");
  c.username = opt_string(j, p, "username");
  c.first_name = opt_string(j, p, "first_name");
  return c;
}

std::optional<json_value> opt_object(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (v) object_at(*v, at(p, key));
  return v;
}

json_value req_object(const json_value& obj, const path& p, std::string_view key) {
  auto v = field(obj, key);
  if (!v) reject(at(p, key), "an object");
  return object_at(*v, at(p, key));
}

// What a payment and its refund both carry, read in this order.
template <class Payment>
Payment read_charge(const json_value& j, const path& p) {
  Payment x;
  x.currency = req_string(j, p, "currency");
  x.total_amount = req_int(j, p, "total_amount");
  x.invoice_payload = req_string(j, p, "invoice_payload");
  x.telegram_payment_charge_id = req_string(j, p, "telegram_payment_charge_id");
  return x;
}

successful_payment read_successful_payment(const json_value& j, const path& p) {
  auto s = read_charge<successful_payment>(j, p);
  s.provider_payment_charge_id = req_string(j, p, "provider_payment_charge_id");
  s.subscription_expiration_date = opt_int(j, p, "subscription_expiration_date");
  s.is_recurring = opt_bool(j, p, "is_recurring");
  s.is_first_recurring = opt_bool(j, p, "is_first_recurring");
  return s;
}

refunded_payment read_refunded_payment(const json_value& j, const path& p) {
  auto r = read_charge<refunded_payment>(j, p);
  r.provider_payment_charge_id = opt_string(j, p, "provider_payment_charge_id");
  return r;
}

message read_message(const json_value& j, const path& p) {
  object_at(j, p);
  message m;
  m.message_id = req_int(j, p, "message_id");
  if (auto f = opt_object(j, p, "from")) m.from = read_user(*f, at(p, "from"));
  m.chat = read_chat(req_object(j, p, "chat"), at(p, "chat"));
  m.date = req_int(j, p, "date");
  m.text = opt_string(j, p, "text");
  m.caption = opt_string(j, p, "caption");
  if (auto s = opt_object(j, p, "successful_payment"))
    m.successful_payment = read_successful_payment(*s, at(p, "successful_payment"));
  if (auto r = opt_object(j, p, "refunded_payment"))
    m.refunded_payment = read_refunded_payment(*r, at(p, "refunded_payment"));
  return m;
}

callback_message read_callback_message(const json_value& j, const path& p) {
  object_at(j, p);
  // MaybeInaccessibleMessage: date 0 marks the inaccessible variant.
  if (req_int(j, p, "date") == 0)
    return inaccessible_message{read_chat(req_object(j, p, "chat"), at(p, "chat")),
                                req_int(j, p, "message_id")};
  return read_message(j, p);
}

callback_query read_callback_query(const json_value& j, const path& p) {
  callback_query q;
  q.id = req_string(j, p, "id");
  q.from = read_user(req_object(j, p, "from"), at(p, "from"));
  if (auto m = opt_object(j, p, "message")) q.message = read_callback_message(*m, at(p, "message"));
  q.inline_message_id = opt_string(j, p, "inline_message_id");
  q.chat_instance = req_string(j, p, "chat_instance");
  q.data = opt_string(j, p, "data");
  return q;
}

pre_checkout_query read_pre_checkout_query(const json_value& j, const path& p) {
  pre_checkout_query q;
  q.id = req_string(j, p, "id");
  q.from = read_user(req_object(j, p, "from"), at(p, "from"));
  q.currency = req_string(j, p, "currency");
  q.total_amount = req_int(j, p, "total_amount");
  q.invoice_payload = req_string(j, p, "invoice_payload");
  q.shipping_option_id = opt_string(j, p, "shipping_option_id");
  return q;
}

chat_member_updated read_chat_member_updated(const json_value& j, const path& p) {
  chat_member_updated c;
  c.chat = read_chat(req_object(j, p, "chat"), at(p, "chat"));
  c.from = read_user(req_object(j, p, "from"), at(p, "from"));
  c.date = req_int(j, p, "date");
  c.old_status =
      req_string(req_object(j, p, "old_chat_member"), at(p, "old_chat_member"), "status");
  c.new_status =
      req_string(req_object(j, p, "new_chat_member"), at(p, "new_chat_member"), "status");
  return c;
}

update read_update(const json_value& j) {
  update u;
  u.update_id = req_int(j, root, "update_id");
  if (auto m = opt_object(j, root, "message")) u.message = read_message(*m, at(root, "message"));
  if (auto m = opt_object(j, root, "edited_message"))
    u.edited_message = read_message(*m, at(root, "edited_message"));
  if (auto q = opt_object(j, root, "callback_query"))
    u.callback_query = read_callback_query(*q, at(root, "callback_query"));
  if (auto q = opt_object(j, root, "pre_checkout_query"))
    u.pre_checkout_query = read_pre_checkout_query(*q, at(root, "pre_checkout_query"));
  if (auto c = opt_object(j, root, "my_chat_member"))
    u.my_chat_member = read_chat_member_updated(*c, at(root, "my_chat_member"));
  return u;
}

template <class T, class Read>
result<T, std::string> guarded(const json_value& j, Read read) {
  try {
    return read(j);
  } catch (const malformed& m) {
    return fail(m.reason);
  }
}

result<update, parse_error> read_tree(const json_value& j) {
  if (!j.is_object()) return fail(parse_error{std::nullopt, "update: expected an object"});
  // Read first and on its own, so even a broken update can be confirmed.
  std::optional<std::int64_t> id;
  if (auto v = field(j, "update_id")) id = v->as_int64();
  auto parsed = guarded<update>(j, read_update);
  if (!parsed) return fail(parse_error{id, parsed.error()});
  return std::move(*parsed);
}

// The readers take a json_tree; a document handed in (a Bot API result)
// is read through its text. Its strings are valid UTF-8 when it came from
// the parser; one built by hand with bytes that are not is replaced, not
// thrown.
std::optional<json_tree> tree_of(const json& j) {
  return json_tree::parse(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

template <class T, class Read>
result<T, std::string> read_document(const json& j, Read read) {
  auto tree = tree_of(j);
  if (!tree) return fail(std::string("not a JSON document"));
  return guarded<T>(tree->root(), read);
}

}  // namespace

result<update, parse_error> parse_update(const json& j) {
  auto tree = tree_of(j);
  if (!tree) return fail(parse_error{std::nullopt, "update: not a JSON document"});
  return read_tree(tree->root());
}

result<update, parse_error> parse_update(std::string_view body) {
  auto tree = json_tree::parse(body);
  if (!tree) return fail(parse_error{std::nullopt, "update: not valid JSON"});
  return read_tree(tree->root());
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
  return read_document<user>(j, [](const json_value& x) { return read_user(x, at(root, "user")); });
}

result<message, std::string> parse_message(const json& j) {
  return read_document<message>(
      j, [](const json_value& x) { return read_message(x, at(root, "message")); });
}

result<webhook_info, std::string> parse_webhook_info(const json& j) {
  return read_document<webhook_info>(j, [](const json_value& x) {
    const path p = at(root, "webhook_info");
    object_at(x, p);
    webhook_info w;
    w.url = req_string(x, p, "url");
    w.has_custom_certificate = opt_bool(x, p, "has_custom_certificate");
    w.pending_update_count = req_int(x, p, "pending_update_count");
    w.last_error_date = opt_int(x, p, "last_error_date");
    w.last_error_message = opt_string(x, p, "last_error_message");
    if (auto v = opt_int(x, p, "max_connections")) w.max_connections = static_cast<int>(*v);
    if (auto a = field(x, "allowed_updates")) {
      if (!a->is_array()) reject(at(p, "allowed_updates"), "an array of strings");
      for (const auto& s : a->elements()) {
        if (!s.is_string()) reject(at(p, "allowed_updates"), "an array of strings");
        w.allowed_updates.push_back(s.text());
      }
    }
    return w;
  });
}

}  // namespace vpnbot::telegram
