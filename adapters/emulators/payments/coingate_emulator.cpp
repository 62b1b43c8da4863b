#include "adapters/emulators/payments/coingate_emulator.hpp"

#include <map>
#include <mutex>

#include "adapters/codec/url_encoding.hpp"

namespace vpnbot::emulators {

using json = nlohmann::json;

struct coingate_emulator::state {
  std::string auth_token;
  mutable std::mutex mutex;
  std::map<int64_t, json> orders;
  int create_calls = 0;
  int get_calls = 0;
  int64_t next = 538;
};

namespace {

http_response coingate_reply(int status, const json& body) {
  return {status, "application/json", {}, body.dump()};
}

http_response coingate_error(int status, const std::string& message, const std::string& reason,
                             json errors = json::array()) {
  json body = {{"message", message}, {"reason", reason}};
  if (!errors.empty()) body["errors"] = errors;
  return coingate_reply(status, body);
}

// The create parameters, from a form or a JSON body.
std::map<std::string, std::string> parameters(const http_request& r) {
  std::map<std::string, std::string> out;
  const auto* type = r.header("content-type");
  if (type && type->find("json") != std::string::npos) {
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_object())
      for (const auto& [k, v] : j.items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
  }
  if (auto fields = codec::form_decode(r.body))
    for (auto& [k, v] : *fields) out[k] = v;
  return out;
}

std::size_t characters(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// CoinGate's validation of a new order: its error texts, in one 422.
json invalid_fields(std::map<std::string, std::string>& p) {
  json errors = json::array();
  for (const char* required : {"price_amount", "price_currency", "receive_currency"})
    if (p[required].empty()) errors.push_back(std::string(required) + " can't be blank");
  auto length_ok = [&](const char* key, std::size_t max) {
    auto it = p.find(key);
    if (it == p.end()) return;
    auto n = characters(it->second);
    if (n < 3 || n > max)
      errors.push_back(std::string(key) + " must be 3 to " + std::to_string(max) + " characters");
  };
  length_ok("title", 150);
  length_ok("description", 500);
  return errors;
}

http_response create(coingate_emulator::state& s, const http_request& r) {
  ++s.create_calls;
  auto p = parameters(r);
  auto errors = invalid_fields(p);
  if (!errors.empty()) return coingate_error(422, "Order is not valid", "OrderIsNotValid", errors);
  auto id = s.next++;
  auto token = p["token"].empty() ? "cg-generated-" + std::to_string(id) : p["token"];
  json o = {{"id", id},
            {"status", "new"},
            {"title", p["title"]},
            {"do_not_convert", p["receive_currency"] == "DO_NOT_CONVERT"},
            {"orderable_type", "ApiApp"},
            {"orderable_id", 1},
            {"price_currency", p["price_currency"]},
            {"price_amount", p["price_amount"]},
            {"lightning_network", false},
            {"receive_currency", p["receive_currency"]},
            {"receive_amount", "0"},
            {"created_at", "2026-11-22T10:00:00+00:00"},
            {"order_id", p["order_id"]},
            {"payment_url", "https://pay-sandbox.coingate.com/invoice/4949cf0a-" +
                                std::to_string(id) + "-4d9f-bb3e-b7d4a2d2c3f1"},
            {"underpaid_amount", "0"},
            {"overpaid_amount", "0"},
            {"is_refundable", false},
            {"refunds", json::array()},
            {"voids", json::array()},
            {"fees", json::array()},
            {"token", token},
            {"callback_url", p["callback_url"]},
            {"success_url", p["success_url"]},
            {"cancel_url", p["cancel_url"]},
            {"description", p["description"]}};
  s.orders[id] = o;
  json shown = o;
  for (const char* hidden : {"callback_url", "success_url", "cancel_url", "description"})
    shown.erase(hidden);
  return coingate_reply(200, shown);
}

http_response handle(coingate_emulator::state& s, const http_request& r) {
  std::lock_guard guard{s.mutex};
  const auto* auth = r.header("authorization");
  if (!auth || (*auth != "Token " + s.auth_token && *auth != "Bearer " + s.auth_token))
    return coingate_error(401, "Unauthorized", "BadAuthToken");
  const std::string prefix = "/v2/orders";
  if (r.method == "POST" && r.path == prefix) return create(s, r);
  if (r.method == "GET" && r.path.rfind(prefix + "/", 0) == 0) {
    ++s.get_calls;
    auto text = r.path.substr(prefix.size() + 1);
    auto it = text.find_first_not_of("0123456789") == std::string::npos && !text.empty()
                  ? s.orders.find(std::stoll(text))
                  : s.orders.end();
    if (it == s.orders.end()) return coingate_error(404, "Order not found", "OrderNotFound");
    json shown = it->second;
    for (const char* hidden : {"callback_url", "success_url", "cancel_url", "description"})
      shown.erase(hidden);
    return coingate_reply(200, shown);
  }
  return coingate_error(404, "Not found", "PageNotFound");
}

std::string text_of(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

coingate_emulator::coingate_emulator(std::string auth_token) : state_(std::make_shared<state>()) {
  state_->auth_token = std::move(auth_token);
  auto s = state_;
  server_ = std::make_unique<fake_http_server>(
      fake_http_server::handler([s](const http_request& r) { return handle(*s, r); }));
}

coingate_emulator::~coingate_emulator() = default;

std::string coingate_emulator::api_base() const {
  return server_->base_url() + "/v2";
}
const std::string& coingate_emulator::auth_token() const {
  return state_->auth_token;
}
fake_http_server& coingate_emulator::server() {
  return *server_;
}

std::string coingate_emulator::move(int64_t order_id, const std::string& status) {
  {
    std::lock_guard guard{state_->mutex};
    auto& o = state_->orders.at(order_id);
    o["status"] = status;
    if (status == "paid" || status == "refunded") {
      o["pay_currency"] = "USDT";
      o["pay_amount"] = "2.15";
      o["receive_amount"] = "2.13";
      o["fees"] =
          json::array({{{"type", "processing_fee"}, {"currency", "USDT"}, {"amount", "0.02"}}});
      o["paid_at"] = "2026-11-22T10:05:00+00:00";
    }
    o["is_refundable"] = status == "paid";
  }
  return callback(order_id);
}

// The fields CoinGate posts, in its order, form-encoded (its default).
std::string coingate_emulator::callback(int64_t order_id) const {
  std::lock_guard guard{state_->mutex};
  const auto& o = state_->orders.at(order_id);
  codec::form_fields form;
  for (const char* key : {"id", "order_id", "status", "pay_amount", "pay_currency", "price_amount",
                          "price_currency", "receive_currency", "receive_amount", "created_at",
                          "token", "underpaid_amount", "overpaid_amount", "is_refundable"})
    form.emplace_back(key, o.contains(key) ? text_of(o[key]) : "");
  if (o["status"] == "paid" || o["status"] == "refunded")
    for (std::size_t i = 0; i < o["fees"].size(); ++i)
      for (const auto& [k, v] : o["fees"][i].items())
        form.emplace_back("fees[" + std::to_string(i) + "][" + k + "]", text_of(v));
  return codec::form_encode(form);
}

std::optional<json> coingate_emulator::order(int64_t order_id) const {
  std::lock_guard guard{state_->mutex};
  auto it = state_->orders.find(order_id);
  if (it == state_->orders.end()) return std::nullopt;
  return it->second;
}

int coingate_emulator::create_calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->create_calls;
}

int coingate_emulator::created_orders() const {
  std::lock_guard guard{state_->mutex};
  return static_cast<int>(state_->orders.size());
}

int coingate_emulator::get_calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->get_calls;
}

}  // namespace vpnbot::emulators
