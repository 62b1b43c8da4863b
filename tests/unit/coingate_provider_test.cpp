#include "adapters/payments/coingate_provider.hpp"

#include <gtest/gtest.h>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::coingate {
namespace {

using kind = payment_verdict::kind;

const std::string secret = "callback-secret";

provider make() {
  return provider({"https://api.coingate.com/v2", "cg-auth-token", "DO_NOT_CONVERT"}, secret,
                  "https://vpn.example.com/pay/coingate", "https://t.me/vpnbot");
}

http_request callback_request(const std::string& status, const std::string& ours,
                              const std::string& token) {
  http_request req;
  req.method = "POST";
  req.path = "/pay/coingate";
  req.body = codec::form_encode({{"id", "538"},
                                 {"order_id", ours},
                                 {"status", status},
                                 {"price_amount", "199.0"},
                                 {"price_currency", "RUB"},
                                 {"token", token}});
  return req;
}

std::string order_json(const std::string& status, const std::string& ours,
                       const std::string& amount = "199.0") {
  return R"({"id":538,"status":")" + status + R"(","order_id":")" + ours + R"(","price_amount":")" +
         amount + R"(","price_currency":"RUB"})";
}

order an_order(const std::string& status) {
  return order{"538", status, "pay-77", {19900, "RUB"}, ""};
}

TEST(PaymentCoinGateProvider, Identity) {
  auto p = make();
  EXPECT_EQ(p.name(), "coingate");
  EXPECT_EQ(p.webhook_path(), "/pay/coingate");
  EXPECT_EQ(p.webhook_methods(), std::vector<std::string>{"POST"});
  EXPECT_TRUE(p.supports_lookup());
}

TEST(PaymentCoinGateProvider, IssueCreatesAnOrderWithOurIdTokenAndCutTexts) {
  invoice_order o{"pay-77", 5, {19900, "RUB"}, std::string(200, 'x') + "ж", 3600};
  auto plan = make().issue(o);
  ASSERT_TRUE(plan) << caf::to_string(plan.error());
  auto& call = std::get<provider_exchange<issued_invoice>>(*plan);
  auto fields = *codec::form_decode(call.request.body);
  std::map<std::string, std::string> f(fields.begin(), fields.end());
  EXPECT_EQ(f["order_id"], "pay-77");
  EXPECT_EQ(f["token"], callback_token(secret, "pay-77"));
  EXPECT_EQ(f["callback_url"], "https://vpn.example.com/pay/coingate");
  EXPECT_EQ(f["success_url"], "https://t.me/vpnbot");
  EXPECT_EQ(f["title"], std::string(150, 'x'));
  EXPECT_EQ(f["description"], std::string(200, 'x') + "ж");
  auto issued = call.read(200, R"({"id":538,"status":"new","order_id":"pay-77",)"
                               R"("price_amount":"199.0","price_currency":"RUB",)"
                               R"("payment_url":"https://pay.coingate.com/invoice/u"})");
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->provider_invoice_id, "538");
  EXPECT_EQ(issued->pay_url, "https://pay.coingate.com/invoice/u");
  EXPECT_EQ(payment_error_code(call.read(503, "").error()), payment_errc::retry_later);
}

TEST(PaymentCoinGateProvider, ACallbackIsReadBackNeverTrusted) {
  auto n = make().accept(callback_request("paid", "pay-77", callback_token(secret, "pay-77")));
  ASSERT_TRUE(n) << caf::to_string(n.error());
  EXPECT_EQ(n->event_id, "order.paid:538");
  EXPECT_EQ(n->answer.status, 200);
  const auto& check = std::get<read_back>(n->says);
  ASSERT_TRUE(check.request);
  EXPECT_EQ(check.request->method, "GET");
  EXPECT_EQ(check.request->url, "https://api.coingate.com/v2/orders/538");
  // The callback said paid; CoinGate still says new: pending.
  EXPECT_EQ(check.read(200, order_json("new", "pay-77"))->what, kind::pending);
  auto paid = check.read(200, order_json("paid", "pay-77"));
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->what, kind::paid);
  EXPECT_EQ(paid->our_payment_id, "pay-77");
  EXPECT_EQ(paid->provider_payment_id, "538");
  EXPECT_EQ(paid->amount, (money{19900, "RUB"}));
  // An order that is not the one the token was made for is ignored.
  EXPECT_EQ(check.read(200, order_json("paid", "pay-78"))->what, kind::ignored);
  EXPECT_EQ(payment_error_code(check.read(500, "").error()), payment_errc::retry_later);
}

TEST(PaymentCoinGateProvider, AWrongTokenIsBadSignatureAndGarbageMalformed) {
  auto p = make();
  for (const auto& token : {std::string("guess"), callback_token(secret, "pay-78")}) {
    auto n = p.accept(callback_request("paid", "pay-77", token));
    ASSERT_FALSE(n);
    EXPECT_EQ(payment_error_code(n.error()), payment_errc::bad_signature);
  }
  http_request garbage;
  garbage.body = R"({"id":538})";
  EXPECT_EQ(payment_error_code(p.accept(garbage).error()), payment_errc::malformed);
  // A stored event is checked again when replayed.
  auto stored = callback_request("paid", "pay-77", callback_token(secret, "pay-77")).body;
  EXPECT_TRUE(p.reparse(stored));
  EXPECT_FALSE(p.reparse(callback_request("paid", "pay-77", "guess").body));
}

TEST(PaymentCoinGateProvider, EachStatusHasItsVerdict) {
  for (const char* s : {"new", "pending", "confirming"})
    EXPECT_EQ(verdict_of(an_order(s)).what, kind::pending) << s;
  for (const char* s : {"expired", "canceled", "invalid"}) {
    auto v = verdict_of(an_order(s));
    EXPECT_EQ(v.what, kind::canceled) << s;
    EXPECT_EQ(v.our_payment_id, "pay-77");
  }
  auto refunded = verdict_of(an_order("refunded"));
  EXPECT_EQ(refunded.what, kind::refunded);
  EXPECT_EQ(refunded.provider_payment_id, "538");
  EXPECT_EQ(refunded.refund_id, "order:538");
  EXPECT_EQ(refunded.amount, (money{19900, "RUB"}));
  EXPECT_EQ(verdict_of(an_order("partially_refunded")).what, kind::ignored);
  EXPECT_EQ(verdict_of(an_order("something_new")).what, kind::ignored);
  auto anonymous = an_order("paid");
  anonymous.order_id.clear();
  EXPECT_EQ(verdict_of(anonymous).what, kind::ignored);
}

TEST(PaymentCoinGateProvider, LookupsReadEachOrderBackUnderTheCallbacksEventIds) {
  auto calls = make().lookup({{"pay-77", "538"}, {"pay-78", ""}});
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_TRUE(calls[0]);
  EXPECT_FALSE(calls[1]);
  EXPECT_EQ(calls[0]->request.url, "https://api.coingate.com/v2/orders/538");
  auto paid = calls[0]->read(200, order_json("paid", "pay-77"));
  ASSERT_TRUE(paid);
  ASSERT_EQ(paid->size(), 1u);
  EXPECT_EQ((*paid)[0].event_id, "order.paid:538");
  EXPECT_EQ((*paid)[0].verdict.what, kind::paid);
  auto expired = calls[0]->read(200, order_json("expired", "pay-77"));
  EXPECT_EQ((*expired)[0].event_id, "order.expired:538");
  EXPECT_EQ((*expired)[0].verdict.what, kind::canceled);
  auto waiting = calls[0]->read(200, order_json("confirming", "pay-77"));
  EXPECT_TRUE((*waiting)[0].event_id.empty());
  EXPECT_EQ((*waiting)[0].status, "still_pending");
  auto refunded = calls[0]->read(200, order_json("refunded", "pay-77"));
  EXPECT_TRUE((*refunded)[0].event_id.empty());
  EXPECT_EQ((*refunded)[0].status, "ignored");
}

}  // namespace
}  // namespace vpnbot::payments::coingate
