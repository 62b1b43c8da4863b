#include "adapters/payments/robokassa_op_state.hpp"

#include "adapters/codec/decimal.hpp"
#include "adapters/codec/hex.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/payments/money.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::robokassa {
namespace {

// The text of the first <tag>...</tag> inside `doc`; the reply is small and
// flat, so a search by name is enough (no attributes, no nesting of a name).
std::optional<std::string_view> element(std::string_view doc, std::string_view tag) {
  auto open = "<" + std::string(tag) + ">";
  auto close = "</" + std::string(tag) + ">";
  auto start = doc.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  start += open.size();
  auto end = doc.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  return doc.substr(start, end - start);
}

}  // namespace

caf::expected<outbound_request> op_state_request(const settings& s, int64_t invoice_id) {
  if (s.merchant_login.empty() || s.password2.empty())
    return invalid("Robokassa needs a login and password #2");
  if (invoice_id <= 0) return invalid("Robokassa InvoiceID must be positive");
  auto id = std::to_string(invoice_id);
  auto sign = codec::hex_encode(
      crypto::digest(s.algorithm, s.merchant_login + ":" + id + ":" + s.password2));
  outbound_request r;
  r.method = "GET";
  r.url = s.op_state_base + "/OpStateExt?MerchantLogin=" + codec::query_escape(s.merchant_login) +
          "&InvoiceID=" + id + "&Signature=" + sign;
  return r;
}

caf::expected<op_state> parse_op_state(std::string_view xml) {
  auto result = element(xml, "Result");
  auto result_code = result ? element(*result, "Code") : std::nullopt;
  auto code = result_code ? codec::decimal<int>(*result_code) : std::nullopt;
  if (!code) return malformed("OpStateExt reply has no Result/Code");
  op_state out;
  out.result_code = *code;
  if (out.result_code != 0) return out;
  auto state = element(xml, "State");
  auto state_code = state ? element(*state, "Code") : std::nullopt;
  auto s = state_code ? codec::decimal<int>(*state_code) : std::nullopt;
  if (!s) return malformed("OpStateExt reply has no State/Code");
  out.state_code = *s;
  if (auto info = element(xml, "Info"))
    if (auto sum = element(*info, "OutSum")) {
      out.out_sum_minor = parse_decimal(*sum, 2);
      if (!out.out_sum_minor) return malformed("OpStateExt OutSum is not an amount");
    }
  return out;
}

}  // namespace vpnbot::payments::robokassa
