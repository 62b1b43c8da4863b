#include "adapters/payments/yookassa.hpp"

#include "adapters/codec/base64.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/payments/json_fields.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::yookassa {
namespace {

using nlohmann::json;

constexpr std::size_t max_idempotence_key = 64;

outbound_request api_call(const settings& s, std::string method, const std::string& path) {
  outbound_request r;
  r.method = std::move(method);
  r.url = s.api_base + path;
  r.headers.emplace_back("Authorization",
                         "Basic " + codec::base64_encode(s.shop_id + ":" + s.secret_key));
  r.headers.emplace_back("Accept", "application/json");
  return r;
}

std::optional<payment_status> parse_status(std::string_view text) {
  for (auto s : {payment_status::pending, payment_status::waiting_for_capture,
                 payment_status::succeeded, payment_status::canceled})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

caf::expected<money> parse_amount(const json& object, std::string_view what) {
  const json* amount = object_field(object, "amount");
  if (!amount) return malformed(std::string(what) + " has no amount");
  auto currency = string_field(*amount, "currency");
  auto m = parse_money(string_field(*amount, "value"), currency);
  if (!m) return malformed(std::string(what) + " amount is not an exact " + currency + " value");
  return *m;
}

}  // namespace

std::string_view to_string(payment_status status) {
  switch (status) {
    case payment_status::pending:
      return "pending";
    case payment_status::waiting_for_capture:
      return "waiting_for_capture";
    case payment_status::succeeded:
      return "succeeded";
    case payment_status::canceled:
      return "canceled";
  }
  return "unknown";
}

caf::expected<outbound_request> create_payment_request(const settings& s,
                                                       const payment_request& request) {
  if (request.payment_id.empty() || request.payment_id.size() > max_idempotence_key)
    return invalid("payment id must be 1 to 64 bytes (the Idempotence-Key)");
  auto value = format_money(request.price);
  if (!value) return invalid("currency " + request.price.currency + " is not supported");
  if (request.price.minor <= 0) return invalid("payment amount must be positive");
  if (utf8_length(request.description) > max_description)
    return invalid("description is longer than 128 characters");
  if (request.return_url.empty()) return invalid("a redirect confirmation needs a return_url");

  json body = {
      {"amount", {{"value", *value}, {"currency", request.price.currency}}},
      {"capture", true},
      {"confirmation", {{"type", "redirect"}, {"return_url", request.return_url}}},
      {"metadata", {{std::string(payment_id_key), request.payment_id}}},
  };
  if (!request.description.empty()) body["description"] = request.description;
  if (request.receipt) body["receipt"] = *request.receipt;

  auto r = api_call(s, "POST", "payments");
  r.headers.emplace_back("Idempotence-Key", request.payment_id);
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

caf::expected<outbound_request> get_payment_request(const settings& s,
                                                    std::string_view yookassa_id) {
  if (yookassa_id.empty() || yookassa_id.size() > max_idempotence_key)
    return invalid("YooKassa payment id must be 1 to 64 bytes");
  return api_call(s, "GET", "payments/" + codec::path_segment_escape(yookassa_id));
}

caf::expected<outbound_request> get_refund_request(const settings& s, std::string_view refund_id) {
  if (refund_id.empty() || refund_id.size() > max_idempotence_key)
    return invalid("YooKassa refund id must be 1 to 64 bytes");
  return api_call(s, "GET", "refunds/" + codec::path_segment_escape(refund_id));
}

caf::expected<outbound_request> create_refund_request(const settings& s, const new_refund& r) {
  if (r.request_id.empty() || r.request_id.size() > max_idempotence_key)
    return invalid("refund request id must be 1 to 64 bytes (the Idempotence-Key)");
  if (r.yookassa_payment_id.empty() || r.yookassa_payment_id.size() > max_idempotence_key)
    return invalid("YooKassa payment id must be 1 to 64 bytes");
  if (r.amount.minor <= 0) return invalid("refund amount must be positive");
  auto value = format_money(r.amount);
  if (!value) return invalid("currency " + r.amount.currency + " is not supported");
  json body = {{"payment_id", r.yookassa_payment_id},
               {"amount", {{"value", *value}, {"currency", r.amount.currency}}}};
  auto out = api_call(s, "POST", "refunds");
  out.headers.emplace_back("Idempotence-Key", r.request_id);
  out.headers.emplace_back("Content-Type", "application/json");
  out.body = body.dump();
  return out;
}

caf::expected<payment> parse_payment(const json& object) {
  if (!object.is_object()) return malformed("payment is not an object");
  payment p;
  p.id = string_field(object, "id");
  if (p.id.empty()) return malformed("payment has no id");
  auto status = parse_status(string_field(object, "status"));
  if (!status) return malformed("payment status is unknown");
  p.status = *status;
  p.paid = bool_field(object, "paid").value_or(false);
  p.test = bool_field(object, "test").value_or(false);
  auto amount = parse_amount(object, "payment");
  if (!amount) return amount.error();
  p.amount = std::move(*amount);
  if (const json* confirmation = object_field(object, "confirmation"))
    p.confirmation_url = string_field(*confirmation, "confirmation_url");
  if (const json* metadata = object_field(object, "metadata"))
    for (const auto& [k, v] : metadata->items())
      if (v.is_string()) p.metadata.emplace(k, v.get<std::string>());
  if (auto it = p.metadata.find(std::string(payment_id_key)); it != p.metadata.end())
    p.payment_id = it->second;
  p.created_at = string_field(object, "created_at");
  p.captured_at = string_field(object, "captured_at");
  if (const json* details = object_field(object, "cancellation_details"))
    p.cancellation_reason = string_field(*details, "reason");
  return p;
}

caf::expected<refund> parse_refund(const json& object) {
  if (!object.is_object()) return malformed("refund is not an object");
  refund r;
  r.id = string_field(object, "id");
  r.yookassa_payment_id = string_field(object, "payment_id");
  r.status = string_field(object, "status");
  if (r.id.empty() || r.yookassa_payment_id.empty() || r.status.empty())
    return malformed("refund needs id, payment_id and status");
  auto amount = parse_amount(object, "refund");
  if (!amount) return amount.error();
  r.amount = std::move(*amount);
  r.created_at = string_field(object, "created_at");
  return r;
}

namespace {

// An answer other than 200: retry later, or what YooKassa's error object says.
caf::error reply_error(int status, std::string_view body) {
  auto text = "YooKassa HTTP " + std::to_string(status);
  if (status == 202 || status == 429 || status >= 500)
    return caf::make_error(payment_errc::retry_later, text);
  auto j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && string_field(j, "type") == "error") {
    auto description = string_field(j, "description");
    return caf::make_error(
        payment_errc::rejected,
        text + " " + string_field(j, "code") + (description.empty() ? "" : ": ") + description);
  }
  return caf::make_error(payment_errc::unexpected_status, text);
}

}  // namespace

caf::expected<payment> read_payment_reply(int status, std::string_view body) {
  if (status != 200) return reply_error(status, body);
  auto j = parse_object(body, "YooKassa payment");
  if (!j) return j.error();
  return parse_payment(*j);
}

caf::expected<refund> read_refund_creation_reply(int status, std::string_view body) {
  if (status != 200) return reply_error(status, body);
  auto j = parse_object(body, "YooKassa refund");
  if (!j) return j.error();
  return parse_refund(*j);
}

caf::expected<std::optional<refund>> read_refund_reply(int status, std::string_view body) {
  if (status == 404) return std::optional<refund>{};
  if (status != 200) return reply_error(status, body);
  auto j = parse_object(body, "YooKassa refund");
  if (!j) return j.error();
  auto r = parse_refund(*j);
  if (!r) return r.error();
  return std::optional<refund>{std::move(*r)};
}

caf::expected<notification> parse_notification(std::string_view body) {
  auto j = parse_object(body, "YooKassa notification");
  if (!j) return j.error();
  if (string_field(*j, "type") != "notification") return malformed("type is not notification");
  notification n;
  n.event = string_field(*j, "event");
  if (n.event.empty()) return malformed("notification has no event");
  const json* object = object_field(*j, "object");
  if (!object) return malformed("notification has no object");
  n.object_id = string_field(*object, "id");
  if (n.object_id.empty()) return malformed("notification object has no id");
  static const std::pair<std::string_view, event_kind> payment_events[] = {
      {"payment.succeeded", event_kind::payment_succeeded},
      {"payment.waiting_for_capture", event_kind::payment_waiting_for_capture},
      {"payment.canceled", event_kind::payment_canceled},
  };
  for (const auto& [name, kind] : payment_events) {
    if (n.event != name) continue;
    auto p = parse_payment(*object);
    if (!p) return p.error();
    n.kind = kind;
    n.payment_object = std::move(*p);
    return n;
  }
  if (n.event == "refund.succeeded") {
    auto r = parse_refund(*object);
    if (!r) return r.error();
    n.kind = event_kind::refund_succeeded;
    n.refund_object = std::move(*r);
  }
  return n;
}

std::vector<std::string> notification_sources() {
  return {"185.71.76.0/27", "185.71.77.0/27",   "77.75.153.0/25", "77.75.156.11",
          "77.75.156.35",   "77.75.154.128/25", "2a02:5180::/32"};
}

caf::expected<notification> accept_notification(const http_request& request,
                                                const ip_allowlist* sources) {
  if (sources && !sources->allows(request.client_address))
    return caf::make_error(payment_errc::source_not_allowed,
                           "YooKassa notification from " + request.client_address);
  return parse_notification(request.body);
}

}  // namespace vpnbot::payments::yookassa
