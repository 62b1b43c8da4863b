#include "adapters/emulators/payments/robokassa_xml_emulator.hpp"

#include <map>
#include <mutex>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/emulators/payments/provider_signing.hpp"

namespace vpnbot::emulators {

struct robokassa_xml_emulator::state {
  std::mutex mutex;
  std::string login, password2, algorithm;
  std::map<int64_t, std::pair<int, std::string>> invoices;  // id -> state code, OutSum
  int calls = 0;
};

namespace {

const std::string path = "/Merchant/WebService/Service.asmx/OpStateExt";

std::string reply(int result, const std::string& rest = "") {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<OperationStateResponse xmlns=\"http://merchant.roboxchange.com/WebService/\">"
         "<Result><Code>" +
         std::to_string(result) + "</Code><Description>" + (result == 0 ? "" : "error") +
         "</Description></Result>" + rest + "</OperationStateResponse>";
}

http_response handle(robokassa_xml_emulator::state& s, const http_request& r) {
  std::lock_guard guard{s.mutex};
  if (r.method != "GET" || r.path != path) return {404, "text/plain", {}, "not found"};
  ++s.calls;
  auto fields = codec::form_decode(r.query);
  if (!fields) return {400, "text/plain", {}, "bad query"};
  std::map<std::string, std::string> f(fields->begin(), fields->end());
  auto xml = [](std::string body) { return http_response{200, "text/xml", {}, std::move(body)}; };
  if (f["MerchantLogin"] != s.login ||
      f["Signature"] !=
          hex_digest(s.algorithm, f["MerchantLogin"] + ":" + f["InvoiceID"] + ":" + s.password2))
    return xml(reply(1));
  auto id = std::stoll(f["InvoiceID"]);
  auto it = s.invoices.find(id);
  if (it == s.invoices.end()) return xml(reply(3));
  return xml(reply(0, "<State><Code>" + std::to_string(it->second.first) +
                          "</Code><RequestDate>2026-12-05T01:00:00+03:00</RequestDate>"
                          "<StateDate>2026-12-05T01:00:00+03:00</StateDate></State>"
                          "<Info><IncCurrLabel>BankCard</IncCurrLabel><IncSum>" +
                          it->second.second + "</IncSum><OutCurrLabel>RUB</OutCurrLabel><OutSum>" +
                          it->second.second + "</OutSum></Info>"));
}

}  // namespace

robokassa_xml_emulator::robokassa_xml_emulator(std::string login, std::string password2,
                                               std::string algorithm)
    : state_(std::make_shared<state>()) {
  state_->login = std::move(login);
  state_->password2 = std::move(password2);
  state_->algorithm = std::move(algorithm);
  auto s = state_;
  server_ = std::make_unique<fake_http_server>(
      fake_http_server::handler([s](const http_request& r) { return handle(*s, r); }));
}

robokassa_xml_emulator::~robokassa_xml_emulator() = default;

std::string robokassa_xml_emulator::base_url() const {
  return server_->base_url() + "/Merchant/WebService/Service.asmx";
}

fake_http_server& robokassa_xml_emulator::server() {
  return *server_;
}

void robokassa_xml_emulator::set_state(int64_t invoice_id, int state_code,
                                       const std::string& out_sum) {
  std::lock_guard guard{state_->mutex};
  state_->invoices[invoice_id] = {state_code, out_sum};
}

int robokassa_xml_emulator::calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->calls;
}

}  // namespace vpnbot::emulators
