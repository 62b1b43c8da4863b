#include "adapters/emulators/payments/yookassa_emulator.hpp"

#include <map>
#include <mutex>

#include "adapters/codec/base64.hpp"
#include "adapters/payments/money.hpp"

namespace vpnbot::emulators {

using json = nlohmann::json;

struct yookassa_emulator::state {
  std::string shop_id;
  std::string secret_key;
  mutable std::mutex mutex;
  std::map<std::string, json> payments;
  std::map<std::string, json> refunds;
  std::map<std::string, http_response> by_key;  // Idempotence-Key -> the first response
  std::map<std::string, http_response> refund_by_key;
  std::vector<std::string> refund_order;  // refund ids as made
  std::string new_refund_status = "succeeded";
  int lost_refund_replies = 0;
  int create_calls = 0;
  int refund_calls = 0;
  int64_t next = 1;
};

namespace {

http_response yookassa_reply(int status, const json& body) {
  return {status, "application/json", {}, body.dump()};
}

http_response yookassa_error(int status, const std::string& code, const std::string& description) {
  return yookassa_reply(status, {{"type", "error"},
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

// What is left to refund of a payment: its amount less its refunds that
// are not canceled.
int64_t left_of(const yookassa_emulator::state& s, const json& payment) {
  auto currency = payment["amount"]["currency"].get<std::string>();
  auto left = payments::parse_money(payment["amount"]["value"].get<std::string>(), currency)->minor;
  for (const auto& [id, r] : s.refunds)
    if (r["payment_id"] == payment["id"] && r["status"] != "canceled")
      left -= payments::parse_money(r["amount"]["value"].get<std::string>(), currency)->minor;
  return left;
}

// POST /v3/refunds: one refund per Idempotence-Key.
http_response create_refund(yookassa_emulator::state& s, const http_request& r) {
  ++s.refund_calls;
  const auto* key = r.header("idempotence-key");
  if (!key || key->empty() || key->size() > 64)
    return yookassa_error(400, "invalid_request", "Idempotence-Key is required");
  if (auto it = s.refund_by_key.find(*key); it != s.refund_by_key.end()) return it->second;
  auto body = json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.contains("payment_id") || !body["payment_id"].is_string())
    return yookassa_error(400, "invalid_request", "payment_id is required");
  auto p = s.payments.find(body["payment_id"].get<std::string>());
  if (p == s.payments.end()) return yookassa_error(404, "not_found", "Payment not found");
  if (p->second["status"] != "succeeded")
    return yookassa_error(400, "invalid_request", "Only a succeeded payment can be refunded");
  const auto& amount = body.value("amount", json::object());
  if (!amount.is_object() || !amount.value("value", json()).is_string() ||
      amount.value("currency", "") != p->second["amount"]["currency"])
    return yookassa_error(400, "invalid_request", "amount is required in the payment's currency");
  auto asked = payments::parse_money(amount["value"].get<std::string>(),
                                     amount["currency"].get<std::string>());
  if (!asked || asked->minor <= 0)
    return yookassa_error(400, "invalid_request", "amount.value is not a positive amount");
  if (asked->minor > left_of(s, p->second)) {
    auto e =
        yookassa_error(400, "invalid_request", "Refund amount exceeds the amount left to refund");
    auto j = json::parse(e.body);
    j["parameter"] = "amount.value";
    e.body = j.dump();
    return e;
  }
  auto id = object_id("2167", "0016", s.next++);
  json refund = {{"id", id},
                 {"payment_id", p->first},
                 {"status", s.new_refund_status},
                 {"amount", amount},
                 {"created_at", "2026-11-22T11:00:00.000Z"}};
  s.refunds[id] = refund;
  s.refund_order.push_back(id);
  auto response = yookassa_reply(200, refund);
  s.refund_by_key[*key] = response;
  return response;
}

http_response handle(yookassa_emulator::state& s, const http_request& r) {
  const auto* auth = r.header("authorization");
  if (!auth || *auth != "Basic " + codec::base64_encode(s.shop_id + ":" + s.secret_key))
    return yookassa_error(401, "invalid_credentials", "Basic authentication failed");
  const std::string prefix = "/v3/payments";
  if (r.method == "POST" && r.path == prefix) {
    ++s.create_calls;
    const auto* key = r.header("idempotence-key");
    if (!key || key->empty() || key->size() > 64)
      return yookassa_error(400, "invalid_request", "Idempotence-Key is required");
    if (auto it = s.by_key.find(*key); it != s.by_key.end()) return it->second;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.contains("amount") || !body["amount"].contains("value"))
      return yookassa_error(400, "invalid_request", "amount is required");
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
    auto response = yookassa_reply(200, p);
    s.by_key[*key] = response;
    return response;
  }
  if (r.method == "GET" && r.path.rfind(prefix + "/", 0) == 0) {
    auto id = r.path.substr(prefix.size() + 1);
    auto it = s.payments.find(id);
    if (it == s.payments.end()) return yookassa_error(404, "not_found", "Payment not found");
    return yookassa_reply(200, it->second);
  }
  if (r.method == "POST" && r.path == "/v3/refunds") return create_refund(s, r);
  const std::string refunds = "/v3/refunds/";
  if (r.method == "GET" && r.path.rfind(refunds, 0) == 0) {
    auto it = s.refunds.find(r.path.substr(refunds.size()));
    if (it == s.refunds.end()) return yookassa_error(404, "not_found", "Refund not found");
    return yookassa_reply(200, it->second);
  }
  return yookassa_error(405, "invalid_request", "method not allowed");
}

}  // namespace

yookassa_emulator::yookassa_emulator(std::string shop_id, std::string secret_key)
    : state_(std::make_shared<state>()) {
  state_->shop_id = std::move(shop_id);
  state_->secret_key = std::move(secret_key);
  auto s = state_;
  server_ = std::make_unique<fake_http_server>(fake_http_server::async_handler(
      [s](const http_request& r, std::function<void(http_response)> answer) {
        std::unique_lock guard{s->mutex};
        auto response = handle(*s, r);
        // A refund made whose answer is lost: the caller waits in vain.
        if (r.method == "POST" && r.path == "/v3/refunds" && response.status == 200 &&
            s->lost_refund_replies > 0) {
          --s->lost_refund_replies;
          return;
        }
        guard.unlock();
        answer(std::move(response));
      }));
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
  state_->refund_order.push_back(id);
  return json{{"type", "notification"}, {"event", "refund.succeeded"}, {"object", r}}.dump();
}

void yookassa_emulator::make_refunds_as(const std::string& status) {
  std::lock_guard guard{state_->mutex};
  state_->new_refund_status = status;
}

void yookassa_emulator::lose_refund_replies(int times) {
  std::lock_guard guard{state_->mutex};
  state_->lost_refund_replies = times;
}

std::string yookassa_emulator::settle_refund(const std::string& refund_id,
                                             const std::string& status) {
  std::lock_guard guard{state_->mutex};
  auto& r = state_->refunds.at(refund_id);
  r["status"] = status;
  return json{{"type", "notification"}, {"event", "refund.succeeded"}, {"object", r}}.dump();
}

std::vector<json> yookassa_emulator::refunds_of(const std::string& yookassa_id) const {
  std::lock_guard guard{state_->mutex};
  std::vector<json> out;
  for (const auto& id : state_->refund_order)
    if (state_->refunds.at(id)["payment_id"] == yookassa_id) out.push_back(state_->refunds.at(id));
  return out;
}

int yookassa_emulator::refund_calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->refund_calls;
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
