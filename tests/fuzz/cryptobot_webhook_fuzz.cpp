// Crypto Pay's webhook: the signature check and the update parser, through
// the provider's accept() as the payment webhooks actor calls it. The input
// is a signature header line, then the raw body.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/codec/hex.hpp"
#include "adapters/crypto/digest.hpp"
#include "adapters/payments/cryptobot_provider.hpp"
#include "adapters/payments/payment_error.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;
using payments::payment_errc;

namespace {

const std::string token = "12345:AAfuzzTokenForCryptoPay";

const payments::cryptobot::provider& crypto_pay() {
  static const payments::cryptobot::provider p{{"https://pay.crypt.bot/api/", token},
                                               {"USDT", "TON"}};
  return p;
}

http_request webhook(std::string signature, std::string body) {
  http_request r;
  r.method = "POST";
  r.path = "/pay/cryptobot";
  r.headers = {{"content-type", "application/json"},
               {"crypto-pay-api-signature", std::move(signature)}};
  r.body = std::move(body);
  return r;
}

std::string mac_of(const std::string& body) {
  auto key = crypto::digest(crypto::hash_algorithm::sha256, token);
  return crypto::hmac(crypto::hash_algorithm::sha256, key, body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  auto claimed = in.ConsumeRandomLengthString(160);
  auto body = in.ConsumeRemainingBytesAsString();
  const auto& p = crypto_pay();

  // A forged signature never passes; a correct one always does.
  auto mac = mac_of(body);
  if (codec::hex_decode(claimed) != mac) {
    auto forged = p.accept(webhook(claimed, body));
    fuzz::require(
        !forged && payments::payment_error_code(forged.error()) == payment_errc::bad_signature,
        "a wrong signature is bad_signature");
  }
  auto signed_ = p.accept(webhook(codec::hex_encode(mac), body));
  if (!signed_)
    fuzz::require(payments::payment_error_code(signed_.error()) != payment_errc::bad_signature,
                  "the right signature is accepted");
  (void)p.reparse(body);
  return 0;
}
