#include "adapters/payments/yookassa.hpp"

#include <gtest/gtest.h>

#include "adapters/payments/payment_error.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::payments::yookassa {
namespace {

using nlohmann::json;

const settings yookassa_shop{"https://api.yookassa.ru/v3/", "123456", "live_secretKEY"};

// The documented Payment object, as a create reply.
const char* pending_payment = R"({
  "id": "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a", "status": "pending", "paid": false,
  "amount": {"value": "199.00", "currency": "RUB"},
  "confirmation": {"type": "redirect",
    "confirmation_url": "https://yoomoney.ru/api-pages/v2/payment-confirm/epl?orderId=2d5d6a3f"},
  "created_at": "2019-01-22T14:30:45.129Z", "description": "VPN 30d",
  "metadata": {"payment_id": "pay-77", "user_id": "123"},
  "recipient": {"account_id": "100500", "gateway_id": "100700"},
  "refundable": false, "test": true
})";

TEST(PaymentYooKassa, CreatePaymentRequest) {
  payment_request req{"pay-77", {19900, "RUB"}, "VPN 30d", "https://t.me/vpnbot", std::nullopt};
  auto r = create_payment_request(yookassa_shop, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://api.yookassa.ru/v3/payments");
  // base64("123456:live_secretKEY")
  EXPECT_EQ(*r->header("Authorization"), "Basic MTIzNDU2OmxpdmVfc2VjcmV0S0VZ");
  EXPECT_EQ(*r->header("Idempotence-Key"), "pay-77");
  EXPECT_EQ(json::parse(r->body),
            json({{"amount", {{"value", "199.00"}, {"currency", "RUB"}}},
                  {"capture", true},
                  {"confirmation", {{"type", "redirect"}, {"return_url", "https://t.me/vpnbot"}}},
                  {"description", "VPN 30d"},
                  {"metadata", {{"payment_id", "pay-77"}}}}));
}

TEST(PaymentYooKassa, AmountsAreExactDecimalStrings) {
  payment_request req{"p", {5, "RUB"}, "", "https://t.me/x", std::nullopt};
  EXPECT_EQ(json::parse(create_payment_request(yookassa_shop, req)->body)["amount"]["value"],
            "0.05");
  req.price = {100000000, "RUB"};
  EXPECT_EQ(json::parse(create_payment_request(yookassa_shop, req)->body)["amount"]["value"],
            "1000000.00");
}

TEST(PaymentYooKassa, CreateRejectsBadInput) {
  payment_request good{"p", {100, "RUB"}, "", "https://t.me/x", std::nullopt};
  ASSERT_TRUE(create_payment_request(yookassa_shop, good));
  auto bad = good;
  bad.payment_id = std::string(65, 'x');
  EXPECT_EQ(payment_code(create_payment_request(yookassa_shop, bad)),
            payment_errc::invalid_argument);
  bad = good;
  bad.return_url.clear();
  EXPECT_EQ(payment_code(create_payment_request(yookassa_shop, bad)),
            payment_errc::invalid_argument);
  bad = good;
  bad.price.minor = -1;
  EXPECT_EQ(payment_code(create_payment_request(yookassa_shop, bad)),
            payment_errc::invalid_argument);
  bad = good;
  bad.description = std::string(129, 'x');
  EXPECT_EQ(payment_code(create_payment_request(yookassa_shop, bad)),
            payment_errc::invalid_argument);
  bad.description.clear();
  for (int i = 0; i < 128; ++i) bad.description += "я";  // 128 characters, 256 bytes
  EXPECT_TRUE(create_payment_request(yookassa_shop, bad));
}

TEST(PaymentYooKassa, GetPaymentRequest) {
  auto r = get_payment_request(yookassa_shop, "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->url, "https://api.yookassa.ru/v3/payments/2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a");
  EXPECT_EQ(get_payment_request(yookassa_shop, "../refunds")->url,
            "https://api.yookassa.ru/v3/payments/..%2Frefunds");
  EXPECT_EQ(payment_code(get_payment_request(yookassa_shop, "")), payment_errc::invalid_argument);
}

TEST(PaymentYooKassa, GetRefundRequest) {
  auto r = get_refund_request(yookassa_shop, "216749f7-0016-50be-b000-078d43a63ae4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->url, "https://api.yookassa.ru/v3/refunds/216749f7-0016-50be-b000-078d43a63ae4");
  EXPECT_EQ(*r->header("Authorization"), "Basic MTIzNDU2OmxpdmVfc2VjcmV0S0VZ");
  EXPECT_EQ(get_refund_request(yookassa_shop, "../payments")->url,
            "https://api.yookassa.ru/v3/refunds/..%2Fpayments");
  EXPECT_EQ(payment_code(get_refund_request(yookassa_shop, "")), payment_errc::invalid_argument);
}

TEST(PaymentYooKassa, RefundReplyParsesAndUnknownRefundIsNone) {
  auto r = read_refund_reply(
      200,
      R"({"id":"216749f7-0016-50be-b000-078d43a63ae4","payment_id":"2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a","status":"succeeded","amount":{"value":"199.00","currency":"RUB"},"created_at":"2019-01-22T15:00:00.000Z"})");
  ASSERT_TRUE(r) << caf::to_string(r.error());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->status, "succeeded");
  EXPECT_EQ((*r)->yookassa_payment_id, "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a");
  EXPECT_EQ((*r)->amount, (money{19900, "RUB"}));
  auto none = read_refund_reply(
      404, R"({"type":"error","code":"not_found","description":"Refund not found"})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(payment_code(read_refund_reply(500, "")), payment_errc::retry_later);
  EXPECT_EQ(
      payment_code(read_refund_reply(401, R"({"type":"error","code":"invalid_credentials"})")),
      payment_errc::rejected);
  EXPECT_EQ(payment_code(read_refund_reply(200, R"({"id":"r"})")), payment_errc::malformed);
}

TEST(PaymentYooKassa, PaymentReplyParses) {
  auto p = read_payment_reply(200, pending_payment);
  ASSERT_TRUE(p) << caf::to_string(p.error());
  EXPECT_EQ(p->id, "2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a");
  EXPECT_EQ(p->status, payment_status::pending);
  EXPECT_FALSE(p->paid);
  EXPECT_TRUE(p->test);
  EXPECT_EQ(p->amount, (money{19900, "RUB"}));
  EXPECT_EQ(p->confirmation_url,
            "https://yoomoney.ru/api-pages/v2/payment-confirm/epl?orderId=2d5d6a3f");
  EXPECT_EQ(p->payment_id, "pay-77");
  EXPECT_EQ(p->metadata.at("user_id"), "123");
  EXPECT_EQ(p->created_at, "2019-01-22T14:30:45.129Z");
}

TEST(PaymentYooKassa, ReplyErrors) {
  EXPECT_EQ(payment_code(read_payment_reply(202, R"({"type":"processing","retry_after":1800})")),
            payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_payment_reply(429, "")), payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_payment_reply(500, "")), payment_errc::retry_later);
  auto rejected = read_payment_reply(
      400,
      R"({"type":"error","id":"ab","code":"invalid_request","description":"Idempotence key duplicated","parameter":"Idempotence-Key"})");
  EXPECT_EQ(payment_code(rejected), payment_errc::rejected);
  EXPECT_NE(caf::to_string(rejected.error()).find("invalid_request"), std::string::npos);
  auto unauthorized = read_payment_reply(
      401, R"({"type":"error","code":"invalid_credentials","description":"Basic auth failed"})");
  EXPECT_EQ(payment_code(unauthorized), payment_errc::rejected);
  EXPECT_EQ(caf::to_string(unauthorized.error()).find("live_secretKEY"), std::string::npos);
  EXPECT_EQ(payment_code(read_payment_reply(404, "")), payment_errc::unexpected_status);
  EXPECT_EQ(payment_code(read_payment_reply(200, "{}")), payment_errc::malformed);
}

TEST(PaymentYooKassa, PaymentParsingIsStrictAboutMoneyAndStatus) {
  auto with = [](const std::string& amount, const std::string& status) {
    return parse_payment(json::parse(R"({"id":"x","status":")" + status +
                                     R"(","amount":{"value":")" + amount +
                                     R"(","currency":"RUB"}})"));
  };
  EXPECT_EQ(with("199.99", "succeeded")->amount.minor, 19999);
  EXPECT_EQ(with("0.10", "canceled")->amount.minor, 10);
  EXPECT_EQ(payment_code(with("199.999", "succeeded")), payment_errc::malformed);
  EXPECT_EQ(payment_code(with("1e2", "succeeded")), payment_errc::malformed);
  EXPECT_EQ(payment_code(with("199.00", "paid")), payment_errc::malformed);
  EXPECT_EQ(payment_code(parse_payment(json::parse(
                R"({"id":"x","status":"pending","amount":{"value":199.0,"currency":"RUB"}})"))),
            payment_errc::malformed);
}

std::string notification_json(const std::string& event, const std::string& object) {
  return R"({"type":"notification","event":")" + event + R"(","object":)" + object + "}";
}

TEST(PaymentYooKassa, PaymentNotifications) {
  const std::string succeeded_object =
      R"({"id":"2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a","status":"succeeded","paid":true,
          "amount":{"value":"199.00","currency":"RUB"},"income_amount":{"value":"192.03","currency":"RUB"},
          "captured_at":"2019-01-22T14:31:00.000Z","metadata":{"payment_id":"pay-77"},
          "payment_method":{"type":"bank_card","id":"x","saved":false,"title":"Bank card *4444"}})";
  auto n = parse_notification(notification_json("payment.succeeded", succeeded_object));
  ASSERT_TRUE(n) << caf::to_string(n.error());
  EXPECT_EQ(n->kind, event_kind::payment_succeeded);
  ASSERT_TRUE(n->payment_object);
  EXPECT_EQ(n->payment_object->status, payment_status::succeeded);
  EXPECT_TRUE(n->payment_object->paid);
  EXPECT_EQ(n->payment_object->payment_id, "pay-77");
  EXPECT_EQ(n->payment_object->captured_at, "2019-01-22T14:31:00.000Z");
  EXPECT_EQ(n->event_id(), "payment.succeeded:2d5d6a3f-000f-5000-9000-1d8c4f1c5e2a");

  auto canceled = parse_notification(notification_json(
      "payment.canceled",
      R"({"id":"p2","status":"canceled","paid":false,"amount":{"value":"10.00","currency":"RUB"},
          "cancellation_details":{"party":"yoo_money","reason":"expired_on_confirmation"}})"));
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->kind, event_kind::payment_canceled);
  EXPECT_EQ(canceled->payment_object->cancellation_reason, "expired_on_confirmation");

  auto waiting = parse_notification(notification_json(
      "payment.waiting_for_capture",
      R"({"id":"p3","status":"waiting_for_capture","paid":true,"amount":{"value":"10.00","currency":"RUB"}})"));
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->kind, event_kind::payment_waiting_for_capture);
}

TEST(PaymentYooKassa, RefundAndUnknownEvents) {
  auto refund = parse_notification(notification_json(
      "refund.succeeded",
      R"({"id":"r1","payment_id":"p1","status":"succeeded","amount":{"value":"50.00","currency":"RUB"},"created_at":"2019-01-23T10:00:00.000Z"})"));
  ASSERT_TRUE(refund);
  EXPECT_EQ(refund->kind, event_kind::refund_succeeded);
  ASSERT_TRUE(refund->refund_object);
  EXPECT_EQ(refund->refund_object->yookassa_payment_id, "p1");
  EXPECT_EQ(refund->refund_object->amount.minor, 5000);
  EXPECT_EQ(refund->event_id(), "refund.succeeded:r1");

  auto other = parse_notification(notification_json("deal.closed", R"({"id":"d1"})"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->kind, event_kind::other);
  EXPECT_FALSE(other->payment_object);

  EXPECT_EQ(payment_code(parse_notification(
                R"({"type":"x","event":"payment.succeeded","object":{"id":"a"}})")),
            payment_errc::malformed);
  EXPECT_EQ(payment_code(parse_notification(
                notification_json("payment.succeeded", R"({"status":"succeeded"})"))),
            payment_errc::malformed);
  EXPECT_EQ(payment_code(parse_notification("oops")), payment_errc::malformed);
}

TEST(PaymentYooKassa, NotificationSourceCheck) {
  auto sources = ip_allowlist::parse(notification_sources());
  ASSERT_TRUE(sources);
  http_request req;
  req.body = notification_json(
      "payment.succeeded",
      R"({"id":"p","status":"succeeded","paid":true,"amount":{"value":"1.00","currency":"RUB"}})");
  req.client_address = "185.71.76.5";
  EXPECT_TRUE(accept_notification(req, &*sources));
  req.client_address = "::ffff:77.75.156.35";
  EXPECT_TRUE(accept_notification(req, &*sources));
  req.client_address = "2a02:5180:0:1::7";
  EXPECT_TRUE(accept_notification(req, &*sources));
  req.client_address = "203.0.113.9";
  EXPECT_EQ(payment_code(accept_notification(req, &*sources)), payment_errc::source_not_allowed);
  EXPECT_TRUE(accept_notification(req, nullptr));
}

}  // namespace
}  // namespace vpnbot::payments::yookassa
