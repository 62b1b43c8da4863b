// YooKassa's POST /v3/refunds as we build it and its reply as we read it.

#include <gtest/gtest.h>

#include "adapters/payments/payment_error.hpp"
#include "adapters/payments/yookassa.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::payments::yookassa {
namespace {

using nlohmann::json;

const settings shop{"https://api.yookassa.ru/v3/", "123456", "live_secretKEY"};

const new_refund good{
    "6a1e0c52-6f3b-4b57-9a57-7c1f0e2b9d10", "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a", {10050, "RUB"}};

TEST(YooKassaRefund, CreateRequestCarriesThePaymentTheAmountAndOurKey) {
  auto r = create_refund_request(shop, good);
  ASSERT_TRUE(r) << caf::to_string(r.error());
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://api.yookassa.ru/v3/refunds");
  EXPECT_EQ(*r->header("Authorization"), "Basic MTIzNDU2OmxpdmVfc2VjcmV0S0VZ");
  EXPECT_EQ(*r->header("Idempotence-Key"), good.request_id);
  EXPECT_EQ(*r->header("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(r->body), (json{{"payment_id", "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a"},
                                        {"amount", {{"value", "100.50"}, {"currency", "RUB"}}}}));
  EXPECT_EQ(r->body.find("live_secretKEY"), std::string::npos);
}

TEST(YooKassaRefund, CreateRequestRefusesWhatYooKassaWouldRefuse) {
  auto bad = good;
  bad.request_id.clear();
  EXPECT_EQ(payment_code(create_refund_request(shop, bad)), payment_errc::invalid_argument);
  bad.request_id = std::string(65, 'k');
  EXPECT_EQ(payment_code(create_refund_request(shop, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.yookassa_payment_id.clear();
  EXPECT_EQ(payment_code(create_refund_request(shop, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.amount.minor = 0;
  EXPECT_EQ(payment_code(create_refund_request(shop, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.amount.currency = "XYZ";
  EXPECT_EQ(payment_code(create_refund_request(shop, bad)), payment_errc::invalid_argument);
}

TEST(YooKassaRefund, CreationReplyIsTheRefundInEachStatus) {
  for (const char* status : {"succeeded", "pending", "canceled"}) {
    json body = {{"id", "216749f7-0016-50be-b000-078d43a63ae4"},
                 {"payment_id", "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a"},
                 {"status", status},
                 {"amount", {{"value", "100.50"}, {"currency", "RUB"}}},
                 {"created_at", "2026-11-22T11:00:00.000Z"}};
    auto r = read_refund_creation_reply(200, body.dump());
    ASSERT_TRUE(r) << caf::to_string(r.error());
    EXPECT_EQ(r->id, "216749f7-0016-50be-b000-078d43a63ae4");
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->amount, (money{10050, "RUB"}));
  }
}

TEST(YooKassaRefund, CreationReplyErrorsSayWhetherToRetry) {
  EXPECT_EQ(payment_code(read_refund_creation_reply(500, "")), payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_refund_creation_reply(503, "<html>")), payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_refund_creation_reply(429, "")), payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_refund_creation_reply(202, "")), payment_errc::retry_later);
  auto over = read_refund_creation_reply(
      400,
      R"({"type":"error","id":"e1","code":"invalid_request","parameter":"amount.value","description":"Refund amount exceeds the amount left"})");
  ASSERT_EQ(payment_code(over), payment_errc::rejected);
  EXPECT_NE(caf::to_string(over.error()).find("Refund amount exceeds the amount left"),
            std::string::npos);
  EXPECT_EQ(payment_code(read_refund_creation_reply(200, R"({"id":"r","status":"succeeded"})")),
            payment_errc::malformed);
  EXPECT_EQ(payment_code(read_refund_creation_reply(200, "not json")), payment_errc::malformed);
}

}  // namespace
}  // namespace vpnbot::payments::yookassa
