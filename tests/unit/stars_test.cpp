#include "adapters/payments/stars.hpp"

#include <gtest/gtest.h>

#include "adapters/payments/payment_error.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::payments::stars {
namespace {

using nlohmann::json;

TEST(PaymentStars, SendInvoiceParameters) {
  auto p = send_invoice_parameters(
      {42, "VPN 30 days", "Unlimited traffic, 2 devices", "pay-9", 150, "30 days"});
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, json({{"chat_id", 42},
                      {"title", "VPN 30 days"},
                      {"description", "Unlimited traffic, 2 devices"},
                      {"payload", "pay-9"},
                      {"provider_token", ""},
                      {"currency", "XTR"},
                      {"prices", {{{"label", "30 days"}, {"amount", 150}}}}}));
}

TEST(PaymentStars, SendInvoiceLimits) {
  invoice_request good{1, "t", "d", "p", 1, "l"};
  ASSERT_TRUE(send_invoice_parameters(good));
  auto bad = good;
  bad.title = std::string(33, 'x');
  EXPECT_EQ(payment_code(send_invoice_parameters(bad)), payment_errc::invalid_argument);
  bad = good;
  bad.title.clear();
  for (int i = 0; i < 32; ++i) bad.title += "ё";  // 32 characters are fine
  EXPECT_TRUE(send_invoice_parameters(bad));
  bad = good;
  bad.payment_id = std::string(129, 'x');
  EXPECT_EQ(payment_code(send_invoice_parameters(bad)), payment_errc::invalid_argument);
  bad = good;
  bad.stars = 0;
  EXPECT_EQ(payment_code(send_invoice_parameters(bad)), payment_errc::invalid_argument);
  bad = good;
  bad.description.clear();
  EXPECT_EQ(payment_code(send_invoice_parameters(bad)), payment_errc::invalid_argument);
}

const json query_json = json::parse(R"({
  "id": "4382bfdwdsb323b2d9", "from": {"id": 777, "is_bot": false, "first_name": "A"},
  "currency": "XTR", "total_amount": 150, "invoice_payload": "pay-9"})");

TEST(PaymentStars, PreCheckoutDecision) {
  auto q = parse_pre_checkout_query(query_json);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->id, "4382bfdwdsb323b2d9");
  EXPECT_EQ(q->from_id, 777);
  EXPECT_EQ(q->invoice_payload, "pay-9");

  payment_record pending{true, {150, "XTR"}};
  auto ok = decide_pre_checkout(*q, pending);
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(ok.error_message.empty());
  EXPECT_EQ(answer_pre_checkout_parameters(q->id, ok),
            json({{"pre_checkout_query_id", "4382bfdwdsb323b2d9"}, {"ok", true}}));

  auto unknown = decide_pre_checkout(*q, std::nullopt);
  EXPECT_EQ(unknown.verdict, pre_checkout_verdict::unknown_payment);
  auto paid = decide_pre_checkout(*q, payment_record{false, {150, "XTR"}});
  EXPECT_EQ(paid.verdict, pre_checkout_verdict::not_pending);
  auto cheaper = decide_pre_checkout(*q, payment_record{true, {200, "XTR"}});
  EXPECT_EQ(cheaper.verdict, pre_checkout_verdict::wrong_amount);
  auto rub = decide_pre_checkout(*q, payment_record{true, {150, "RUB"}});
  EXPECT_EQ(rub.verdict, pre_checkout_verdict::wrong_currency);
  for (const auto& d : {unknown, paid, cheaper, rub}) {
    EXPECT_FALSE(d.ok());
    EXPECT_FALSE(d.error_message.empty());
    auto answer = answer_pre_checkout_parameters(q->id, d);
    EXPECT_EQ(answer["ok"], false);
    EXPECT_EQ(answer["error_message"], d.error_message);
  }
}

TEST(PaymentStars, PreCheckoutQueryNeedsItsFields) {
  auto q = query_json;
  q.erase("total_amount");
  EXPECT_EQ(payment_code(parse_pre_checkout_query(q)), payment_errc::malformed);
  q = query_json;
  q.erase("from");
  EXPECT_EQ(payment_code(parse_pre_checkout_query(q)), payment_errc::malformed);
}

TEST(PaymentStars, SuccessfulPaymentAndDedupeKey) {
  auto p = parse_successful_payment(json::parse(R"({
    "currency": "XTR", "total_amount": 150, "invoice_payload": "pay-9",
    "telegram_payment_charge_id": "stxAbC123", "provider_payment_charge_id": ""})"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->currency, "XTR");
  EXPECT_EQ(p->total_amount, 150);
  EXPECT_EQ(p->invoice_payload, "pay-9");
  EXPECT_EQ(p->event_id(), "charge:stxAbC123");
  EXPECT_EQ(
      payment_code(parse_successful_payment(json::parse(R"({"currency":"XTR","total_amount":1})"))),
      payment_errc::malformed);
}

}  // namespace
}  // namespace vpnbot::payments::stars
