#include "adapters/emulators/payments/yookassa_emulator.hpp"

#include <map>
#include <mutex>

#include "adapters/codec/base64.hpp"

namespace vpnbot::emulators {

using json = nlohmann::json;

struct yookassa_emulator::state {
  std::string shop_id;
  std::string secret_key;
  mutable std::mutex mutex;
  std::map<std::string, json> payments;
  std::map<std::string, json> refunds;
  std::map<std::string, http_response> by_key;  // Idempotence-Key -> the first response
  int create_calls = 0;
  int64_t next = 1;
};

namespace {

http_response reply(int status, const json& body) {
  return {status, "application/json", {}, body.dump()};
}

http_response error(int status, const std::string& code, const std::string& description) {
  return reply(status, {{"type", "error"},
                        {"id", "err-" + std::to_string(status)},
                        {"code", code},
                        {"description", description}});
}

std::string object_id(const char* prefix, const char* kind, int64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%04llx-%s-5000-a000-%012llx", prefix,
                static_cast<unsigned long long>(n & 0xffff), kind,
                static_cast<unsigned long long>(n));
  return buf;
}

http_response handle(yookassa_emulator::state& s, const http_request& r) {
  std::lock_guard guard{s.mutex};
  const auto* auth = r.header("authorization");
  if (!auth || *auth != "Basic " + codec::base64_encode(s.shop_id + ":" + s.secret_key))
    return error(401, "invalid_credentials", "Basic authentication failed");
  const std::string prefix = "/v3/payments";
  if (r.method == "POST" && r.path == prefix) {
    ++s.create_calls;
    const auto* key = r.header("idempotence-key");
    if (!key || key->empty() || key->size() > 64)
      return error(400, "invalid_request", "Idempotence-Key is required");
    if (auto it = s.by_key.find(*key); it != s.by_key.end()) return it->second;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.contains("amount") || !body["amount"].contains("value"))
      return error(400, "invalid_request", "amount is required");
    auto id = object_id("2f6b", "000f", s.next++);
    json p = {{"id", id},
              {"status", "pending"},
              {"paid", false},
              {"amount", body["amount"]},
              {"confirmation",
               {{"type", "redirect"},
                {"confirmation_url",
                 "https://yoomoney.ru/api-pages/v2/payment-confirm/epl?orderId=" + id}}},
              {"created_at", "2026-11-22T10:00:00.000Z"},
              {"description", body.value("description", "")},
              {"metadata", body.value("metadata", json::object())},
              {"recipient", {{"account_id", s.shop_id}, {"gateway_id", "2000001"}}},
              {"refundable", false},
              {"test", true}};
    s.payments[id] = p;
    auto response = reply(200, p);
    s.by_key[*key] = response;
    return response;
  }
  if (r.method == "GET" && r.path.rfind(prefix + "/", 0) == 0) {
    auto id = r.path.substr(prefix.size() + 1);
    auto it = s.payments.find(id);
    if (it == s.payments.end()) return error(404, "not_found", "Payment not found");
    return reply(200, it->second);
  }
  const std::string refunds = "/v3/refunds/";
  if (r.method == "GET" && r.path.rfind(refunds, 0) == 0) {
    auto it = s.refunds.find(r.path.substr(refunds.size()));
    if (it == s.refunds.end()) return error(404, "not_found", "Refund not found");
    return reply(200, it->second);
  }
  return error(405, "invalid_request", "method not allowed");
}

}  // namespace

yookassa_emulator::yookassa_emulator(std::string shop_id, std::string secret_key)
    : state_(std::make_shared<state>()) {
  state_->shop_id = std::move(shop_id);
  state_->secret_key = std::move(secret_key);
  auto s = state_;
  server_ = std::make_unique<fake_http_server>(
      fake_http_server::handler([s](const http_request& r) { return handle(*s, r); }));
}

yookassa_emulator::~yookassa_emulator() = default;

std::string yookassa_emulator::api_base() const {
  return server_->base_url() + "/v3/";
}
const std::string& yookassa_emulator::shop_id() const {
  return state_->shop_id;
}
const std::string& yookassa_emulator::secret_key() const {
  return state_->secret_key;
}
fake_http_server& yookassa_emulator::server() {
  return *server_;
}

std::string yookassa_emulator::notification(const std::string& event,
                                            const std::string& yookassa_id) const {
  std::lock_guard guard{state_->mutex};
  return json{
      {"type", "notification"}, {"event", event}, {"object", state_->payments.at(yookassa_id)}}
      .dump();
}

std::string yookassa_emulator::pay(const std::string& yookassa_id) {
  {
    std::lock_guard guard{state_->mutex};
    auto& p = state_->payments.at(yookassa_id);
    p["status"] = "succeeded";
    p["paid"] = true;
    p["captured_at"] = "2026-11-22T10:05:00.000Z";
    p["income_amount"] = p["amount"];
    p["payment_method"] = {
        {"type", "bank_card"}, {"id", yookassa_id}, {"saved", false}, {"title", "Bank card *4444"}};
    p.erase("confirmation");
  }
  return notification("payment.succeeded", yookassa_id);
}

std::string yookassa_emulator::cancel(const std::string& yookassa_id) {
  {
    std::lock_guard guard{state_->mutex};
    auto& p = state_->payments.at(yookassa_id);
    p["status"] = "canceled";
    p["cancellation_details"] = {{"party", "yoo_money"}, {"reason", "expired_on_confirmation"}};
  }
  return notification("payment.canceled", yookassa_id);
}

std::string yookassa_emulator::refund(const std::string& yookassa_id, const std::string& status,
                                      const std::string& value) {
  std::lock_guard guard{state_->mutex};
  const auto& p = state_->payments.at(yookassa_id);
  auto id = object_id("2167", "0016", state_->next++);
  auto amount = p["amount"];
  if (!value.empty()) amount["value"] = value;
  json r = {{"id", id},
            {"payment_id", yookassa_id},
            {"status", status},
            {"amount", amount},
            {"created_at", "2026-11-22T11:00:00.000Z"}};
  state_->refunds[id] = r;
  return json{{"type", "notification"}, {"event", "refund.succeeded"}, {"object", r}}.dump();
}

std::optional<json> yookassa_emulator::payment(const std::string& yookassa_id) const {
  std::lock_guard guard{state_->mutex};
  auto it = state_->payments.find(yookassa_id);
  if (it == state_->payments.end()) return std::nullopt;
  return it->second;
}

int yookassa_emulator::create_calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->create_calls;
}

int yookassa_emulator::created_payments() const {
  std::lock_guard guard{state_->mutex};
  return static_cast<int>(state_->payments.size());
}

}  // namespace vpnbot::emulators
