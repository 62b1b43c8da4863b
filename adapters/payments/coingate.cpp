#include "adapters/payments/coingate.hpp"

#include "adapters/codec/hex.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/crypto/digest.hpp"
#include "adapters/payments/json_fields.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::coingate {
namespace {

using nlohmann::json;

// order_id is ours (a UUID); CoinGate's ids are numbers. Both well short of this.
constexpr std::size_t max_id = 64;

outbound_request api_call(const settings& s, std::string method, const std::string& path) {
  outbound_request r;
  r.method = std::move(method);
  auto base = s.api_base;
  if (!base.empty() && base.back() == '/') base.pop_back();
  r.url = base + path;
  r.headers.emplace_back("Authorization", "Token " + s.auth_token);
  r.headers.emplace_back("Accept", "application/json");
  return r;
}

// An answer other than 200: retry later, or what CoinGate's error object says.
caf::error reply_error(int status, std::string_view body) {
  auto text = "CoinGate HTTP " + std::to_string(status);
  if (status == 429 || status >= 500) return caf::make_error(payment_errc::retry_later, text);
  auto j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && !string_field(j, "reason").empty()) {
    auto message = string_field(j, "message");
    return caf::make_error(payment_errc::rejected, text + " " + string_field(j, "reason") +
                                                       (message.empty() ? "" : ": ") + message);
  }
  return caf::make_error(payment_errc::unexpected_status, text);
}

}  // namespace

caf::expected<outbound_request> create_order_request(const settings& s,
                                                     const order_request& request) {
  if (request.payment_id.empty() || request.payment_id.size() > max_id)
    return invalid("payment id must be 1 to 64 bytes");
  auto amount = format_money(request.price);
  if (!amount) return invalid("currency " + request.price.currency + " is not supported");
  if (request.price.minor <= 0) return invalid("order amount must be positive");
  if (utf8_length(request.title) > max_title) return invalid("title is longer than 150 characters");
  if (utf8_length(request.description) > max_description)
    return invalid("description is longer than 500 characters");
  if (request.callback_url.empty()) return invalid("an order needs a callback_url");
  if (request.token.empty()) return invalid("an order needs its callback token");

  codec::form_fields form = {
      {"order_id", request.payment_id},           {"price_amount", *amount},
      {"price_currency", request.price.currency}, {"receive_currency", s.receive_currency},
      {"callback_url", request.callback_url},     {"token", request.token},
  };
  if (utf8_length(request.title) >= min_text) form.emplace_back("title", request.title);
  if (utf8_length(request.description) >= min_text)
    form.emplace_back("description", request.description);
  if (!request.success_url.empty()) form.emplace_back("success_url", request.success_url);
  if (!request.cancel_url.empty()) form.emplace_back("cancel_url", request.cancel_url);

  auto r = api_call(s, "POST", "/orders");
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = codec::form_encode(form);
  return r;
}

caf::expected<outbound_request> get_order_request(const settings& s, std::string_view order_id) {
  if (order_id.empty() || order_id.size() > max_id)
    return invalid("CoinGate order id must be 1 to 64 bytes");
  return api_call(s, "GET", "/orders/" + codec::path_segment_escape(order_id));
}

caf::expected<order> parse_order(const json& object) {
  if (!object.is_object()) return malformed("order is not an object");
  order o;
  auto id = integer_field(object, "id");
  if (!id) return malformed("order has no id");
  o.id = std::to_string(*id);
  o.status = string_field(object, "status");
  if (o.status.empty()) return malformed("order has no status");
  o.order_id = string_field(object, "order_id");
  auto currency = string_field(object, "price_currency");
  auto price = parse_money(string_field(object, "price_amount"), currency);
  if (!price) return malformed("order price is not an exact " + currency + " amount");
  o.price = std::move(*price);
  o.payment_url = string_field(object, "payment_url");
  return o;
}

caf::expected<order> read_order_reply(int status, std::string_view body) {
  if (status != 200) return reply_error(status, body);
  auto j = parse_object(body, "CoinGate order");
  if (!j) return j.error();
  return parse_order(*j);
}

std::string callback::event_id() const {
  return "order." + status + ":" + id;
}

caf::expected<callback> parse_callback(std::string_view body) {
  auto fields = codec::form_decode(body);
  if (!fields) return malformed("CoinGate callback is not a form");
  callback c;
  for (const auto& [k, v] : *fields) {
    if (k == "id") c.id = v;
    if (k == "order_id") c.order_id = v;
    if (k == "status") c.status = v;
    if (k == "token") c.token = v;
  }
  if (c.id.empty() || c.id.size() > max_id || c.status.empty() || c.order_id.empty())
    return malformed("CoinGate callback needs id, order_id and status");
  return c;
}

std::string callback_token(std::string_view secret, std::string_view payment_id) {
  return codec::hex_encode(
      crypto::hmac(crypto::hash_algorithm::sha256, secret, "coingate:" + std::string(payment_id)));
}

caf::expected<callback> accept_callback(std::string_view secret, std::string_view body) {
  auto c = parse_callback(body);
  if (!c) return c.error();
  if (!crypto::constant_time_equal(c->token, callback_token(secret, c->order_id)))
    return caf::make_error(payment_errc::bad_signature, "CoinGate callback token is wrong");
  return c;
}

}  // namespace vpnbot::payments::coingate
