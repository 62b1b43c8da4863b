#include "adapters/payments/yookassa_provider.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::yookassa {
namespace {

using kind = payment_verdict::kind;

provider make(std::shared_ptr<const ip_allowlist> sources = nullptr) {
  return provider({"https://api.yookassa.ru/v3/", "123456", "live_secretKEY"},
                  "https://t.me/vpnbot", std::move(sources));
}

std::string notification_of(const std::string& event, const std::string& object) {
  return R"({"type":"notification","event":")" + event + R"(","object":)" + object + "}";
}

std::string payment_object(const std::string& status, bool paid, const std::string& ours) {
  std::string metadata = ours.empty() ? "{}" : R"({"payment_id":")" + ours + R"("})";
  return R"({"id":"yk-1","status":")" + status + R"(","paid":)" + (paid ? "true" : "false") +
         R"(,"amount":{"value":"199.00","currency":"RUB"},"metadata":)" + metadata + "}";
}

http_request notification_request(const std::string& body, const std::string& from) {
  http_request req;
  req.method = "POST";
  req.path = "/pay/yookassa";
  req.body = body;
  req.client_address = from;
  return req;
}

const read_back& check_of(const notice& n) {
  return std::get<read_back>(n.says);
}

TEST(PaymentYooKassaProvider, Identity) {
  auto p = make();
  EXPECT_EQ(p.name(), "yookassa");
  EXPECT_EQ(p.webhook_path(), "/pay/yookassa");
  EXPECT_EQ(p.webhook_methods(), std::vector<std::string>{"POST"});
  EXPECT_TRUE(p.supports_lookup());
}

TEST(PaymentYooKassaProvider, PaymentNotificationIsReadBackNeverTrusted) {
  // The body claims success; only the read-back reply decides.
  auto n = make().accept(notification_request(
      notification_of("payment.succeeded", payment_object("succeeded", true, "pay-77")), "x"));
  ASSERT_TRUE(n) << caf::to_string(n.error());
  EXPECT_EQ(n->event_id, "payment.succeeded:yk-1");
  EXPECT_EQ(n->answer.status, 200);
  EXPECT_EQ(n->answer.body, "{}");
  const auto& check = check_of(*n);
  ASSERT_TRUE(check.request);
  EXPECT_EQ(check.request->method, "GET");
  EXPECT_EQ(check.request->url, "https://api.yookassa.ru/v3/payments/yk-1");

  auto paid = check.read(200, payment_object("succeeded", true, "pay-77"));
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->what, kind::paid);
  EXPECT_EQ(paid->provider, "yookassa");
  EXPECT_EQ(paid->our_payment_id, "pay-77");
  EXPECT_EQ(paid->provider_payment_id, "yk-1");
  EXPECT_EQ(paid->amount, (money{19900, "RUB"}));
  EXPECT_EQ(check.read(200, payment_object("pending", false, "pay-77"))->what, kind::pending);
  EXPECT_EQ(check.read(200, payment_object("waiting_for_capture", true, "pay-77"))->what,
            kind::pending);
  auto canceled = check.read(200, payment_object("canceled", false, "pay-77"));
  EXPECT_EQ(canceled->what, kind::canceled);
  EXPECT_EQ(canceled->our_payment_id, "pay-77");
  // Succeeded but not carrying our id: nothing of ours to grant.
  EXPECT_EQ(check.read(200, payment_object("succeeded", true, ""))->what, kind::ignored);
  EXPECT_FALSE(check.read(500, ""));
}

TEST(PaymentYooKassaProvider, RefundIsReadBackToo) {
  auto n = make().reparse(notification_of(
      "refund.succeeded",
      R"({"id":"r1","payment_id":"yk-1","status":"succeeded","amount":{"value":"50.00","currency":"RUB"}})"));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->event_id, "refund.succeeded:r1");
  const auto& check = check_of(*n);
  ASSERT_TRUE(check.request);
  EXPECT_EQ(check.request->url, "https://api.yookassa.ru/v3/refunds/r1");
  auto refund = [](const std::string& status) {
    return R"({"id":"r1","payment_id":"yk-1","status":")" + status +
           R"(","amount":{"value":"50.00","currency":"RUB"}})";
  };
  auto done = check.read(200, refund("succeeded"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->what, kind::refunded);
  EXPECT_EQ(done->provider_payment_id, "yk-1");
  EXPECT_EQ(check.read(200, refund("pending"))->what, kind::refund_pending);
  EXPECT_EQ(check.read(404, R"({"type":"error","code":"not_found"})")->what, kind::refund_unknown);
}

TEST(PaymentYooKassaProvider, OtherEventsAreIgnoredWithoutACall) {
  auto n = make().reparse(notification_of("deal.closed", R"({"id":"d1"})"));
  ASSERT_TRUE(n);
  EXPECT_EQ(std::get<payment_verdict>(n->says).what, kind::ignored);
  EXPECT_EQ(payment_error_code(make().reparse("oops").error()), payment_errc::malformed);
}

TEST(PaymentYooKassaProvider, SourceOutsideTheAllowListIsRejected) {
  auto sources = ip_allowlist::parse(notification_sources());
  ASSERT_TRUE(sources);
  auto p = make(std::make_shared<const ip_allowlist>(std::move(*sources)));
  auto body = notification_of("payment.succeeded", payment_object("succeeded", true, "pay-77"));
  EXPECT_TRUE(p.accept(notification_request(body, "185.71.76.5")));
  auto r = p.accept(notification_request(body, "203.0.113.9"));
  ASSERT_FALSE(r);
  EXPECT_EQ(payment_error_code(r.error()), payment_errc::source_not_allowed);
}

TEST(PaymentYooKassaProvider, IssueCreatesAPaymentKeyedByOurId) {
  auto plan = make().issue({"pay-1", 5, {19900, "RUB"}, std::string(200, 'x'), 600});
  ASSERT_TRUE(plan) << caf::to_string(plan.error());
  auto* call = std::get_if<provider_exchange<issued_invoice>>(&*plan);
  ASSERT_TRUE(call);
  EXPECT_EQ(*call->request.header("Idempotence-Key"), "pay-1");
  auto body = nlohmann::json::parse(call->request.body);
  EXPECT_EQ(body["description"].get<std::string>().size(), 128u);
  EXPECT_EQ(body["confirmation"]["return_url"], "https://t.me/vpnbot");
  auto inv = call->read(
      200,
      R"({"id":"yk-9","status":"pending","paid":false,"amount":{"value":"199.00","currency":"RUB"},
          "confirmation":{"type":"redirect","confirmation_url":"https://yoomoney.ru/pay"}})");
  ASSERT_TRUE(inv) << caf::to_string(inv.error());
  EXPECT_EQ(inv->provider_invoice_id, "yk-9");
  EXPECT_EQ(inv->pay_url, "https://yoomoney.ru/pay");
}

TEST(PaymentYooKassaProvider, LookupReadsEachPaymentBack) {
  auto calls = make().lookup({{"pay-1", "yk-1"}, {"pay-2", "yk-2"}});
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_TRUE(calls[1]);
  EXPECT_EQ(calls[1]->request.url, "https://api.yookassa.ru/v3/payments/yk-2");
  auto paid = calls[0]->read(200, payment_object("succeeded", true, "pay-1"));
  ASSERT_TRUE(paid);
  ASSERT_EQ(paid->size(), 1u);
  EXPECT_EQ((*paid)[0].event_id, "payment.succeeded:yk-1");
  EXPECT_EQ(nlohmann::json::parse((*paid)[0].summary),
            nlohmann::json({{"id", "yk-1"}, {"status", "succeeded"}}));
  EXPECT_EQ((*paid)[0].verdict.what, kind::paid);
  auto canceled = calls[0]->read(200, payment_object("canceled", false, "pay-1"));
  EXPECT_EQ((*canceled)[0].event_id, "payment.canceled:yk-1");
  EXPECT_EQ((*canceled)[0].verdict.what, kind::canceled);
  auto pending = calls[0]->read(200, payment_object("pending", false, "pay-1"));
  EXPECT_TRUE((*pending)[0].event_id.empty());
  EXPECT_EQ((*pending)[0].status, "still_pending");
}

}  // namespace
}  // namespace vpnbot::payments::yookassa
