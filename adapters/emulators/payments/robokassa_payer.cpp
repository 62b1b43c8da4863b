#include "adapters/emulators/payments/robokassa_payer.hpp"

#include <algorithm>
#include <vector>

#include "adapters/codec/ascii.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/emulators/payments/provider_signing.hpp"

namespace vpnbot::emulators {
namespace {

// ":Shp_a=1:Shp_b=2", sorted as the official SDK sorts the "key=value" strings.
std::string shp_tail(const std::map<std::string, std::string>& fields) {
  std::vector<std::string> pairs;
  for (const auto& [k, v] : fields)
    if (codec::ascii_lower(k).rfind("shp_", 0) == 0) pairs.push_back(k + "=" + v);
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& p : pairs) out += ":" + p;
  return out;
}

}  // namespace

robokassa_payer::robokassa_payer(std::string login, std::string password1, std::string password2,
                                 std::string algorithm)
    : login_(std::move(login)),
      password1_(std::move(password1)),
      password2_(std::move(password2)),
      algorithm_(std::move(algorithm)) {}

std::optional<std::map<std::string, std::string>> robokassa_payer::open_link(
    const std::string& url) const {
  auto q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  auto decoded = codec::form_decode(std::string_view(url).substr(q + 1));
  if (!decoded) return std::nullopt;
  std::map<std::string, std::string> f(decoded->begin(), decoded->end());
  if (f["MerchantLogin"] != login_) return std::nullopt;
  auto expected = hex_digest(
      algorithm_, login_ + ":" + f["OutSum"] + ":" + f["InvId"] + ":" + password1_ + shp_tail(f));
  if (codec::ascii_lower(f["SignatureValue"]) != expected) return std::nullopt;
  return f;
}

std::string robokassa_payer::result_body(const std::map<std::string, std::string>& link,
                                         std::string out_sum) const {
  if (out_sum.empty()) {
    out_sum = link.at("OutSum");
    auto dot = out_sum.find('.');
    if (dot == std::string::npos) out_sum += ".", dot = out_sum.size() - 1;
    while (out_sum.size() - dot - 1 < 6) out_sum += "0";
  }
  const auto& inv = link.at("InvId");
  codec::form_fields form{{"OutSum", out_sum},
                          {"InvId", inv},
                          {"Fee", "5.97"},
                          {"EMail", "payer@example.com"},
                          {"PaymentMethod", "BankCard"},
                          {"IncCurrLabel", "BankCardPSR"}};
  for (const auto& [k, v] : link)
    if (codec::ascii_lower(k).rfind("shp_", 0) == 0) form.emplace_back(k, v);
  auto signature = hex_digest(algorithm_, out_sum + ":" + inv + ":" + password2_ + shp_tail(link));
  form.emplace_back("SignatureValue", signature);
  return codec::form_encode(form);
}

}  // namespace vpnbot::emulators
