#include "adapters/payments/cryptobot.hpp"

#include "adapters/codec/hex.hpp"
#include "adapters/crypto/digest.hpp"
#include "adapters/payments/json_fields.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::cryptobot {
namespace {

using nlohmann::json;

constexpr std::size_t max_payload = 4096;
constexpr auto max_expiry = std::chrono::seconds(2678400);
constexpr std::size_t max_invoice_ids = 1000;

bool is_asset_code(std::string_view code) {
  if (code.empty() || code.size() > 16) return false;
  for (char c : code)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

outbound_request api_call(const settings& s, std::string method, std::string_view name) {
  outbound_request r;
  r.method = std::move(method);
  r.url = s.api_base + std::string(name);
  r.headers.emplace_back("Crypto-Pay-API-Token", s.token);
  r.headers.emplace_back("Accept", "application/json");
  return r;
}

// The envelope: result on ok:true, classified errors otherwise.
caf::expected<json> read_result(int status, std::string_view body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    auto ok = bool_field(j, "ok");
    if (ok && *ok && status == 200) {
      auto result = j.find("result");
      if (result == j.end()) return caf::make_error(payment_errc::malformed, "reply has no result");
      return std::move(*result);
    }
    if (ok && !*ok && status != 429 && status < 500) {
      const json* error = object_field(j, "error");
      auto name = error ? string_field(*error, "name") : std::string{};
      return caf::make_error(payment_errc::rejected,
                             "Crypto Pay error " + (name.empty() ? "without a name" : name));
    }
  }
  if (status == 429 || status >= 500)
    return caf::make_error(payment_errc::retry_later, "Crypto Pay HTTP " + std::to_string(status));
  if (status != 200)
    return caf::make_error(payment_errc::unexpected_status,
                           "Crypto Pay HTTP " + std::to_string(status));
  return caf::make_error(payment_errc::malformed, "Crypto Pay reply is not the envelope");
}

caf::expected<invoice> parse_invoice(const json& j) {
  if (!j.is_object()) return caf::make_error(payment_errc::malformed, "invoice is not an object");
  invoice inv;
  auto id = integer_field(j, "invoice_id");
  if (!id || *id <= 0) return caf::make_error(payment_errc::malformed, "invoice has no invoice_id");
  inv.invoice_id = *id;
  inv.status = string_field(j, "status");
  if (inv.status.empty()) return caf::make_error(payment_errc::malformed, "invoice has no status");
  inv.payload = string_field(j, "payload");
  inv.currency_type = string_field(j, "currency_type");
  inv.currency = string_field(j, inv.currency_type == "fiat" ? "fiat" : "asset");
  // The amount is a string; an integer is taken too, a float never (inexact).
  if (auto it = j.find("amount"); it != j.end() && it->is_number_integer())
    inv.amount = std::to_string(it->get<int64_t>());
  else
    inv.amount = string_field(j, "amount");
  if (auto m = parse_money(inv.amount, inv.currency)) inv.amount_minor = m->minor;
  inv.pay_url = string_field(j, "bot_invoice_url");
  if (inv.pay_url.empty()) inv.pay_url = string_field(j, "pay_url");
  inv.paid_at = string_field(j, "paid_at");
  inv.paid_asset = string_field(j, "paid_asset");
  inv.paid_amount = string_field(j, "paid_amount");
  return inv;
}

}  // namespace

caf::expected<outbound_request> create_invoice_request(const settings& s,
                                                       const invoice_request& request) {
  if (request.payment_id.empty() || request.payment_id.size() > max_payload)
    return invalid("payment id must be 1 to 4096 bytes");
  if (!is_fiat_currency(request.price.currency))
    return invalid("invoice currency " + request.price.currency + " is not a supported fiat");
  if (request.price.minor <= 0) return invalid("invoice amount must be positive");
  if (utf8_length(request.description) > max_description)
    return invalid("description is longer than 1024 characters");
  if (request.expires_in.count() < 1 || request.expires_in > max_expiry)
    return invalid("expires_in must be 1 s to 31 days");
  std::string assets;
  for (const auto& a : request.accepted_assets) {
    if (!is_asset_code(a)) return invalid("asset code " + a + " is not valid");
    if (!assets.empty()) assets += ',';
    assets += a;
  }

  json body = {{"currency_type", "fiat"},
               {"fiat", request.price.currency},
               {"amount", *format_money(request.price)},
               {"payload", request.payment_id},
               {"expires_in", request.expires_in.count()}};
  if (!assets.empty()) body["accepted_assets"] = assets;
  if (!request.description.empty()) body["description"] = request.description;
  if (!request.return_url.empty()) {
    body["paid_btn_name"] = "callback";
    body["paid_btn_url"] = request.return_url;
  }
  auto r = api_call(s, "POST", "createInvoice");
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

caf::expected<outbound_request> get_invoices_request(const settings& s,
                                                     const std::vector<int64_t>& invoice_ids) {
  if (invoice_ids.empty() || invoice_ids.size() > max_invoice_ids)
    return invalid("getInvoices takes 1 to 1000 invoice ids");
  std::string ids;
  for (auto id : invoice_ids) {
    if (id <= 0) return invalid("invoice ids are positive");
    if (!ids.empty()) ids += ',';
    ids += std::to_string(id);
  }
  json body = {{"invoice_ids", ids}, {"count", invoice_ids.size()}};
  auto r = api_call(s, "POST", "getInvoices");
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

caf::expected<invoice> read_create_invoice_reply(int status, std::string_view body) {
  auto result = read_result(status, body);
  if (!result) return result.error();
  return parse_invoice(*result);
}

caf::expected<std::vector<invoice>> read_get_invoices_reply(int status, std::string_view body) {
  auto result = read_result(status, body);
  if (!result) return result.error();
  auto items = result->find("items");
  if (!result->is_object() || items == result->end() || !items->is_array())
    return caf::make_error(payment_errc::malformed, "getInvoices result has no items");
  std::vector<invoice> out;
  for (const auto& item : *items) {
    auto inv = parse_invoice(item);
    if (!inv) return inv.error();
    out.push_back(std::move(*inv));
  }
  return out;
}

bool verify_signature(std::string_view token, std::string_view raw_body,
                      std::string_view signature_hex) {
  auto received = codec::hex_decode(signature_hex);
  if (!received) return false;
  auto key = crypto::digest(crypto::hash_algorithm::sha256, token);
  auto expected = crypto::hmac(crypto::hash_algorithm::sha256, key, raw_body);
  return crypto::constant_time_equal(expected, *received);
}

std::string update::event_id() const {
  return update_type + ":" + std::to_string(invoice_data.invoice_id);
}

caf::expected<update> parse_update(std::string_view raw_body) {
  auto j = parse_object(raw_body, "Crypto Pay update");
  if (!j) return j.error();
  update u;
  u.update_id = integer_field(*j, "update_id").value_or(0);
  u.update_type = string_field(*j, "update_type");
  if (u.update_type.empty())
    return caf::make_error(payment_errc::malformed, "update has no update_type");
  u.request_date = string_field(*j, "request_date");
  auto payload = j->find("payload");
  if (payload == j->end()) return caf::make_error(payment_errc::malformed, "update has no payload");
  auto inv = parse_invoice(*payload);
  if (!inv) return inv.error();
  u.invoice_data = std::move(*inv);
  return u;
}

caf::expected<update> accept_webhook(const settings& s, const http_request& request) {
  const std::string* signature = request.header("crypto-pay-api-signature");
  if (!signature || !verify_signature(s.token, request.body, *signature))
    return caf::make_error(payment_errc::bad_signature, "Crypto Pay signature missing or wrong");
  return parse_update(request.body);
}

}  // namespace vpnbot::payments::cryptobot
