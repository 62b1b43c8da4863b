// YooKassa's notification: the source address check (it has no signature)
// and the notification parser, through the provider's accept(); then the
// replies of GET /payments/{id} and GET /refunds/{id} its read-back reads.
// The input is the peer address line, then the body.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "adapters/payments/payment_error.hpp"
#include "adapters/payments/yookassa_provider.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;
using payments::payment_errc;

namespace {

const payments::yookassa::provider& yookassa() {
  static const payments::yookassa::provider p{
      {"https://api.yookassa.ru/v3/", "123456", "test_secret"},
      "https://t.me/vpnbot",
      std::make_shared<const payments::ip_allowlist>(
          *payments::ip_allowlist::parse(payments::yookassa::notification_sources()))};
  return p;
}

http_request notification(std::string from, std::string body) {
  http_request r;
  r.method = "POST";
  r.path = "/pay/yookassa";
  r.headers = {{"content-type", "application/json"}};
  r.body = std::move(body);
  r.peer_address = from;
  r.client_address = std::move(from);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  auto status = in.PickValueInArray({200, 202, 400, 404, 429, 500});
  auto from = in.ConsumeRandomLengthString(64);
  auto body = in.ConsumeRemainingBytesAsString();
  const auto& p = yookassa();

  (void)p.accept(notification(from, body));
  auto n = p.accept(notification("185.71.76.1", body));
  if (!n)
    fuzz::require(payments::payment_error_code(n.error()) != payment_errc::source_not_allowed,
                  "an address in the allow-list passes");
  else if (auto* back = std::get_if<payments::read_back>(&n->says))
    (void)back->read(status, body);
  (void)p.reparse(body);
  (void)payments::yookassa::read_payment_reply(status, body);
  (void)payments::yookassa::read_refund_reply(status, body);
  return 0;
}
