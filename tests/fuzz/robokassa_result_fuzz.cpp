// Robokassa's ResultURL callback: the form parser and the signature check,
// through the provider's accept(). The first byte picks how the rest is
// used: as the raw form (mostly refused by the signature check), or as the
// field values of a form this target signs with Password #2, so the values
// behind the check (OutSum, InvId, Shp_) get parsed too.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/codec/hex.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/crypto/digest.hpp"
#include "adapters/payments/payment_error.hpp"
#include "adapters/payments/robokassa_provider.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;
using payments::payment_errc;

namespace {

payments::robokassa::settings shop() {
  payments::robokassa::settings s;
  s.merchant_login = "vpnbot-shop";
  s.password1 = "fuzz-password-1";
  s.password2 = "fuzz-password-2";
  s.algorithm = crypto::hash_algorithm::md5;
  return s;
}

const payments::robokassa::provider& robokassa() {
  static const payments::robokassa::provider p{shop()};
  return p;
}

http_request result_call(std::string form, bool as_query) {
  http_request r;
  r.path = "/pay/robokassa";
  r.method = as_query ? "GET" : "POST";
  (as_query ? r.query : r.body) = std::move(form);
  return r;
}

// The form Robokassa would send for these values, signed as §3.3 says:
// OutSum:InvId:Password#2[:Shp_payment=v], one Shp_ field so no sorting.
std::string signed_form(FuzzedDataProvider& in) {
  auto out_sum = in.ConsumeRandomLengthString(24);
  auto inv_id = in.ConsumeRandomLengthString(24);
  codec::form_fields fields = {{"OutSum", out_sum}, {"InvId", inv_id}};
  std::string base = out_sum + ":" + inv_id + ":" + shop().password2;
  if (in.ConsumeBool()) {
    auto payment = in.ConsumeRandomLengthString(48);
    fields.emplace_back("Shp_payment", payment);
    base += ":Shp_payment=" + payment;
  }
  if (in.ConsumeBool()) fields.emplace_back("Fee", in.ConsumeRandomLengthString(16));
  if (in.ConsumeBool()) fields.emplace_back("EMail", in.ConsumeRandomLengthString(32));
  if (in.ConsumeBool()) fields.emplace_back("IsTest", in.ConsumeRandomLengthString(2));
  auto signature = codec::hex_encode(crypto::digest(crypto::hash_algorithm::md5, base));
  if (in.ConsumeBool())  // the hex digest is compared case-insensitively
    for (auto& c : signature)
      if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  fields.emplace_back("SignatureValue", signature);
  return codec::form_encode(fields);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const bool as_query = in.ConsumeBool();
  const auto& p = robokassa();
  if (in.ConsumeBool()) {
    auto form = in.ConsumeRemainingBytesAsString();
    (void)p.accept(result_call(form, as_query));
    (void)p.reparse(form);
    return 0;
  }
  auto form = signed_form(in);
  auto n = p.accept(result_call(form, as_query));
  if (!n)
    fuzz::require(payments::payment_error_code(n.error()) != payment_errc::bad_signature,
                  "a correctly signed ResultURL passes the signature check");
  return 0;
}
