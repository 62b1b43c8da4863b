// Telegram Stars arrive inside Bot API updates: the webhook's secret token
// check and shape check (as actors/telegram/webhook_receiver does them),
// the Update parser, and stars.hpp's readers of pre_checkout_query and
// successful_payment with the pre-checkout decision. The input is the
// secret token header line, then the body.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/crypto/digest.hpp"
#include "adapters/payments/stars.hpp"
#include "adapters/telegram/update_parser.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;
using nlohmann::json;

namespace {

const std::string secret = "fuzz_webhook-Secret_0123456789";

void read_pre_checkout(const json& query) {
  auto q = payments::stars::parse_pre_checkout_query(query);
  if (!q) return;
  payments::stars::payment_record record{true, {q->total_amount, "XTR"}};
  auto decision = payments::stars::decide_pre_checkout(*q, record);
  fuzz::require(decision.ok() == (q->currency == "XTR"),
                "a pending payment of the same amount is refused only for its currency");
  (void)payments::stars::answer_pre_checkout_parameters(q->id, decision);
  (void)payments::stars::decide_pre_checkout(*q, std::nullopt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  auto given = in.ConsumeRandomLengthString(300);
  auto raw = in.ConsumeRemainingBytesAsString();
  fuzz::require(crypto::constant_time_equal(given, secret) == (given == secret),
                "the secret token compares equal exactly when it is equal");

  auto body = json::parse(raw, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("update_id") ||
      !body["update_id"].is_number_integer())
    return 0;
  (void)telegram::parse_update(body);
  if (auto q = body.find("pre_checkout_query"); q != body.end() && q->is_object())
    read_pre_checkout(*q);
  if (auto m = body.find("message"); m != body.end() && m->is_object())
    if (auto p = m->find("successful_payment"); p != m->end() && p->is_object())
      (void)payments::stars::parse_successful_payment(*p);
  return 0;
}
