#include "adapters/emulators/payments/cryptobot_emulator.hpp"

#include <map>
#include <mutex>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/emulators/payments/provider_signing.hpp"

namespace vpnbot::emulators {

using json = nlohmann::json;

struct cryptobot_emulator::state {
  std::string token;
  std::string pay_page;
  mutable std::mutex mutex;
  std::map<int64_t, json> invoices;
  std::map<std::string, int> calls;
  int64_t next_id = 1001;
  int64_t next_update = 1;
};

namespace {

http_response cryptobot_reply(int status, const json& body) {
  return {status, "application/json", {}, body.dump()};
}

http_response error(int code, const std::string& name) {
  return cryptobot_reply(code, {{"ok", false}, {"error", {{"code", code}, {"name", name}}}});
}

// Parameters from the query string, then a JSON or form body.
json params_of(const http_request& r) {
  json p = json::object();
  if (auto q = codec::form_decode(r.query))
    for (auto& [k, v] : *q) p[k] = v;
  if (r.body.empty()) return p;
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    for (auto& [k, v] : j.items()) p[k] = v;
  } else if (auto f = codec::form_decode(r.body)) {
    for (auto& [k, v] : *f) p[k] = v;
  }
  return p;
}

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

http_response handle(cryptobot_emulator::state& s, const http_request& r) {
  std::lock_guard guard{s.mutex};
  auto slash = r.path.rfind('/');
  auto method = r.path.substr(slash + 1);
  ++s.calls[method];
  const auto* token = r.header("crypto-pay-api-token");
  if (!token || *token != s.token) return error(401, "UNAUTHORIZED");
  auto p = params_of(r);
  if (method == "createInvoice") {
    if (as_text(p.value("currency_type", json("crypto"))) != "fiat" || !p.contains("fiat") ||
        !p.contains("amount"))
      return error(400, "PARAMS_INVALID");
    auto id = s.next_id++;
    auto hash = "IV" + std::to_string(id * 7919);
    json inv = {{"invoice_id", id},
                {"hash", hash},
                {"currency_type", "fiat"},
                {"fiat", as_text(p["fiat"])},
                {"amount", as_text(p["amount"])},
                {"status", "active"},
                {"bot_invoice_url", s.pay_page.empty() ? "https://t.me/CryptoBot?start=" + hash
                                                       : s.pay_page + std::to_string(id)},
                {"mini_app_invoice_url", "https://t.me/CryptoBot/app?startapp=invoice-" + hash},
                {"created_at", "2026-11-22T10:00:00.000Z"},
                {"allow_comments", true},
                {"allow_anonymous", true}};
    if (p.contains("accepted_assets")) inv["accepted_assets"] = as_text(p["accepted_assets"]);
    if (p.contains("payload")) inv["payload"] = as_text(p["payload"]);
    if (p.contains("description")) inv["description"] = as_text(p["description"]);
    s.invoices[id] = inv;
    return cryptobot_reply(200, {{"ok", true}, {"result", inv}});
  }
  if (method == "getInvoices") {
    json items = json::array();
    std::vector<int64_t> ids;
    auto wanted = p.value("invoice_ids", json());
    if (wanted.is_array()) {
      for (auto& v : wanted)
        ids.push_back(v.is_number() ? v.get<int64_t>() : std::stoll(as_text(v)));
    } else {
      std::string list = as_text(wanted);
      for (size_t at = 0; at < list.size();) {
        auto comma = list.find(',', at);
        if (comma == std::string::npos) comma = list.size();
        if (comma > at) ids.push_back(std::stoll(list.substr(at, comma - at)));
        at = comma + 1;
      }
    }
    for (auto id : ids)
      if (auto it = s.invoices.find(id); it != s.invoices.end()) items.push_back(it->second);
    return cryptobot_reply(200, {{"ok", true}, {"result", {{"items", items}}}});
  }
  return error(405, "METHOD_NOT_FOUND");
}

}  // namespace

cryptobot_emulator::cryptobot_emulator(std::string token, std::string pay_page)
    : state_(std::make_shared<state>()) {
  state_->token = std::move(token);
  state_->pay_page = std::move(pay_page);
  auto s = state_;
  server_ = std::make_unique<fake_http_server>(
      fake_http_server::handler([s](const http_request& r) { return handle(*s, r); }));
}

cryptobot_emulator::~cryptobot_emulator() = default;

std::string cryptobot_emulator::api_base() const {
  return server_->base_url() + "/api/";
}
const std::string& cryptobot_emulator::token() const {
  return state_->token;
}
fake_http_server& cryptobot_emulator::server() {
  return *server_;
}

cryptobot_emulator::delivery cryptobot_emulator::pay(int64_t invoice_id) {
  json update;
  {
    std::lock_guard guard{state_->mutex};
    auto& inv = state_->invoices.at(invoice_id);
    inv["status"] = "paid";
    inv["paid_at"] = "2026-11-22T10:05:00.000Z";
    inv["paid_asset"] = "USDT";
    inv["paid_amount"] = "2.150000";
    inv["paid_fiat_rate"] = "92.55";
    inv["fee_asset"] = "USDT";
    inv["fee_amount"] = "0.064500";
    inv["paid_anonymously"] = false;
    update = {{"update_id", state_->next_update++},
              {"update_type", "invoice_paid"},
              {"request_date", "2026-11-22T10:05:01.000Z"},
              {"payload", inv}};
  }
  return sign(update.dump());
}

void cryptobot_emulator::expire(int64_t invoice_id) {
  std::lock_guard guard{state_->mutex};
  state_->invoices.at(invoice_id)["status"] = "expired";
}

cryptobot_emulator::delivery cryptobot_emulator::sign(std::string body) const {
  auto signature = cryptobot_signature(state_->token, body);
  return {std::move(body), std::move(signature)};
}

std::optional<json> cryptobot_emulator::invoice(int64_t invoice_id) const {
  std::lock_guard guard{state_->mutex};
  auto it = state_->invoices.find(invoice_id);
  if (it == state_->invoices.end()) return std::nullopt;
  return it->second;
}

std::vector<json> cryptobot_emulator::invoices() const {
  std::lock_guard guard{state_->mutex};
  std::vector<json> out;
  for (auto& [id, inv] : state_->invoices) out.push_back(inv);
  return out;
}

int cryptobot_emulator::calls(const std::string& method) const {
  std::lock_guard guard{state_->mutex};
  auto it = state_->calls.find(method);
  return it == state_->calls.end() ? 0 : it->second;
}

}  // namespace vpnbot::emulators
