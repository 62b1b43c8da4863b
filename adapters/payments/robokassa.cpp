#include "adapters/payments/robokassa.hpp"

#include <algorithm>

#include "adapters/codec/decimal.hpp"
#include "adapters/codec/hex.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/payments/json_fields.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::robokassa {
namespace {

constexpr int64_t max_invoice_id = 2147483647;
constexpr unsigned max_out_sum_decimals = 6;

bool is_shp_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

bool has_shp_prefix(std::string_view key) {
  if (key.size() < 4) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return lower(key[0]) == 's' && lower(key[1]) == 'h' && lower(key[2]) == 'p' && key[3] == '_';
}

// ":Shp_a=1:Shp_b=2", sorted by key (then value, for repeated keys).
std::string shp_suffix(shp_fields fields) {
  std::sort(fields.begin(), fields.end());
  std::string out;
  for (const auto& [k, v] : fields) out += ":" + k + "=" + v;
  return out;
}

std::string signature(const settings& s, std::string_view base) {
  return codec::hex_encode(crypto::digest(s.algorithm, base));
}

std::optional<int64_t> parse_invoice_id(std::string_view text) {
  auto value = codec::decimal<int64_t>(text);
  if (!value || *value < 1) return std::nullopt;
  return value;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

caf::expected<std::string> payment_link(const settings& s, const link_request& request) {
  if (request.invoice_id < 1 || request.invoice_id > max_invoice_id)
    return invalid("InvId must be 1 to 2147483647");
  if (request.price.currency != "RUB") return invalid("Robokassa amounts are in RUB");
  if (request.price.minor <= 0) return invalid("payment amount must be positive");
  if (request.description.empty() || utf8_length(request.description) > max_description)
    return invalid("description must be 1 to 100 characters");
  shp_fields shp;
  for (const auto& [name, value] : request.shp) {
    if (!is_shp_name(name)) return invalid("Shp_ name " + name + " is not [A-Za-z0-9_]+");
    for (const auto& [other, unused] : request.shp)
      if (&other != &name && other.starts_with(name))
        return invalid("Shp_ name " + name + " is a prefix of " + other);
    shp.emplace_back("Shp_" + name, value);
  }

  const std::string out_sum = *format_money(request.price);
  const std::string inv_id = std::to_string(request.invoice_id);
  const std::string sig = signature(
      s, s.merchant_login + ":" + out_sum + ":" + inv_id + ":" + s.password1 + shp_suffix(shp));

  codec::form_fields query = {{"MerchantLogin", s.merchant_login},
                              {"OutSum", out_sum},
                              {"InvId", inv_id},
                              {"Description", request.description},
                              {"SignatureValue", sig}};
  if (!s.culture.empty()) query.emplace_back("Culture", s.culture);
  if (!request.email.empty()) query.emplace_back("Email", request.email);
  if (s.test) query.emplace_back("IsTest", "1");
  query.insert(query.end(), shp.begin(), shp.end());
  return s.payment_page + "?" + codec::form_encode(query);
}

caf::expected<result_notice> verify_result(const settings& s, std::string_view form) {
  auto fields = codec::form_decode(form);
  if (!fields) return malformed("ResultURL form has a broken escape");

  const std::string* out_sum = nullptr;
  const std::string* inv_id = nullptr;
  const std::string* received = nullptr;
  result_notice notice;
  for (const auto& [k, v] : *fields) {
    const std::string** slot = k == "OutSum"           ? &out_sum
                               : k == "InvId"          ? &inv_id
                               : k == "SignatureValue" ? &received
                                                       : nullptr;
    if (slot) {
      // A repeated core field would make "as received" ambiguous.
      if (*slot) return malformed("ResultURL repeats " + k);
      *slot = &v;
    }
    if (k == "Fee") notice.fee = v;
    if (k == "EMail") notice.email = v;
    if (k == "PaymentMethod") notice.payment_method = v;
    if (k == "IsTest") notice.is_test = v == "1";
    if (has_shp_prefix(k)) notice.shp.emplace_back(k, v);
  }
  if (!out_sum || !inv_id) return malformed("ResultURL needs OutSum and InvId");
  if (!received || received->empty())
    return caf::make_error(payment_errc::bad_signature, "ResultURL has no SignatureValue");

  const std::string expected =
      signature(s, *out_sum + ":" + *inv_id + ":" + s.password2 + shp_suffix(notice.shp));
  if (!crypto::constant_time_equal(expected, to_lower(*received)))
    return caf::make_error(payment_errc::bad_signature, "ResultURL signature is wrong");

  auto amount = parse_decimal(*out_sum, 2, max_out_sum_decimals);
  if (!amount) return malformed("OutSum is not an exact rouble amount");
  auto id = parse_invoice_id(*inv_id);
  if (!id) return malformed("InvId is not a positive number");
  notice.out_sum = *out_sum;
  notice.amount_minor = *amount;
  notice.invoice_id = *id;
  return notice;
}

std::string result_reply(int64_t invoice_id) {
  return "OK" + std::to_string(invoice_id);
}

}  // namespace vpnbot::payments::robokassa
