// CoinGate's callback: the token check and the form parser, through the
// provider's accept() as the payment webhooks actor calls it, and the
// reader of the order it is read back with. The input is a claimed token
// line, then the raw body.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/payments/coingate_provider.hpp"
#include "adapters/payments/payment_error.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;
using payments::payment_errc;

namespace {

const std::string secret = "fuzz-callback-secret";

const payments::coingate::provider& coingate() {
  static const payments::coingate::provider p{
      {"https://api-sandbox.coingate.com/v2", "fuzz-auth-token", "DO_NOT_CONVERT"},
      secret,
      "https://vpn.example.com/pay/coingate",
      "https://t.me/vpnbot"};
  return p;
}

http_request callback(std::string body) {
  http_request r;
  r.method = "POST";
  r.path = "/pay/coingate";
  r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  r.body = std::move(body);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  auto claimed = in.ConsumeRandomLengthString(80);
  auto body = in.ConsumeRemainingBytesAsString();
  const auto& p = coingate();

  // Whatever the body, a token that is not the one derived for its order_id
  // never passes, and the derived one always does.
  auto parsed = payments::coingate::parse_callback(body);
  if (parsed) {
    auto right = payments::coingate::callback_token(secret, parsed->order_id);
    auto with = [&](const std::string& token) {
      return body + "&" + codec::form_encode({{"token", token}});
    };
    if (claimed != right) {
      auto forged = p.accept(callback(with(claimed)));
      // A repeated token field: the last one counts, as CoinGate's is last.
      fuzz::require(
          !forged && payments::payment_error_code(forged.error()) == payment_errc::bad_signature,
          "a wrong token is bad_signature");
    }
    fuzz::require(static_cast<bool>(p.accept(callback(with(right)))),
                  "the derived token is accepted");
  } else {
    auto n = p.accept(callback(body));
    fuzz::require(!n, "an unparsable callback is refused");
  }
  if (auto n = p.reparse(body)) {
    // The read-back reads any reply without crashing.
    auto& check = std::get<payments::read_back>(n->says);
    (void)check.read(200, claimed);
    (void)check.read(404, body);
  }
  return 0;
}
