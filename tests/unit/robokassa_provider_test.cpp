#include "adapters/payments/robokassa_provider.hpp"

#include <gtest/gtest.h>

#include "adapters/payments/payment_error.hpp"
#include "support/openssl_cli.hpp"

namespace vpnbot::payments::robokassa {
namespace {

using kind = payment_verdict::kind;
using testing_support::openssl_digest;

provider make() {
  settings s;
  s.merchant_login = "demo";
  s.password1 = "p1 secret";
  s.password2 = "p2-secret";
  return provider(s);
}

std::string result_form(const std::string& shp_payment) {
  auto sig = openssl_digest("md5", "199.000000:42:p2-secret:Shp_payment=" + shp_payment);
  return "OutSum=199.000000&InvId=42&SignatureValue=" + sig + "&Shp_payment=" + shp_payment;
}

TEST(PaymentRobokassaProvider, Identity) {
  auto p = make();
  EXPECT_EQ(p.name(), "robokassa");
  EXPECT_EQ(p.webhook_path(), "/pay/robokassa");
  EXPECT_EQ(p.webhook_methods(), (std::vector<std::string>{"GET", "POST"}));
  EXPECT_TRUE(p.supports_lookup());
  // Asked by our number (InvId); an id that is not one was never Robokassa's.
  EXPECT_TRUE(p.lookup({{"pay-1", ""}, {"pay-2", "x42"}}).empty());
  auto calls = p.lookup({{"pay-1", "42"}});
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0]);
  EXPECT_EQ(calls[0]->request.method, "GET");
  EXPECT_EQ(calls[0]->request.url,
            "https://auth.robokassa.ru/Merchant/WebService/Service.asmx/OpStateExt?"
            "MerchantLogin=demo&InvoiceID=42&Signature=" +
                openssl_digest("md5", "demo:42:p2-secret"));
}

std::string op_state_reply(int state, const std::string& out_sum) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?><OperationStateResponse><Result><Code>0"
         "</Code></Result><State><Code>" +
         std::to_string(state) + "</Code></State><Info><OutSum>" + out_sum +
         "</OutSum></Info></OperationStateResponse>";
}

TEST(PaymentRobokassaProvider, OpStateSaysPaidCanceledOrNothing) {
  auto calls = make().lookup({{"pay-1", "42"}});
  ASSERT_EQ(calls.size(), 1u);
  auto read = calls[0]->read;
  auto paid = read(200, op_state_reply(100, "199.00"));
  ASSERT_TRUE(paid);
  ASSERT_EQ(paid->size(), 1u);
  EXPECT_EQ((*paid)[0].event_id, "result:42");
  EXPECT_EQ((*paid)[0].verdict.what, payment_verdict::kind::paid);
  EXPECT_EQ((*paid)[0].verdict.our_payment_id, "pay-1");
  EXPECT_EQ((*paid)[0].verdict.payment_number, 42);
  EXPECT_EQ((*paid)[0].verdict.amount, (money{19900, "RUB"}));
  for (int canceled : {10, 60}) {
    auto c = read(200, op_state_reply(canceled, "199.00"));
    ASSERT_TRUE(c);
    EXPECT_EQ((*c)[0].verdict.what, payment_verdict::kind::canceled);
    EXPECT_EQ((*c)[0].event_id, "op_state_canceled:42");
  }
  for (int waiting : {5, 20, 50, 80}) {
    auto w = read(200, op_state_reply(waiting, "199.00"));
    ASSERT_TRUE(w);
    EXPECT_TRUE((*w)[0].event_id.empty());
    EXPECT_EQ((*w)[0].status, "pending");
  }
  auto unknown = read(200,
                      "<OperationStateResponse><Result><Code>3</Code></Result>"
                      "</OperationStateResponse>");
  ASSERT_TRUE(unknown);
  EXPECT_EQ((*unknown)[0].status, "not_found");
  EXPECT_FALSE(read(200, "<html>maintenance</html>"));
  EXPECT_FALSE(read(500, op_state_reply(100, "199.00")));
  EXPECT_FALSE(read(200, op_state_reply(100, "1e3")));
}

TEST(PaymentRobokassaProvider, IssueIsALinkSignedHere) {
  auto plan = make().issue({"pay-1", 42, {19900, "RUB"}, std::string(150, 'x'), 600});
  ASSERT_TRUE(plan) << caf::to_string(plan.error());
  auto* link = std::get_if<issued_invoice>(&*plan);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->provider_invoice_id, "42");
  const auto sig = openssl_digest("md5", "demo:199.00:42:p1 secret:Shp_payment=pay-1");
  EXPECT_NE(link->pay_url.find("&InvId=42&"), std::string::npos);
  EXPECT_NE(link->pay_url.find("&SignatureValue=" + sig), std::string::npos);
  EXPECT_NE(link->pay_url.find("&Shp_payment=pay-1"), std::string::npos);
}

TEST(PaymentRobokassaProvider, ResultIsPaidByNumberAndAnsweredOkInvId) {
  http_request req;
  req.method = "POST";
  req.body = result_form("pay-1");
  auto n = make().accept(req);
  ASSERT_TRUE(n) << caf::to_string(n.error());
  EXPECT_EQ(n->event_id, "result:42");
  EXPECT_EQ(n->answer.status, 200);
  EXPECT_EQ(n->answer.content_type, "text/plain");
  EXPECT_EQ(n->answer.body, "OK42");
  const auto& v = std::get<payment_verdict>(n->says);
  EXPECT_EQ(v.what, kind::paid);
  EXPECT_EQ(v.provider, "robokassa");
  EXPECT_EQ(v.payment_number, 42);
  EXPECT_EQ(v.our_payment_id, "pay-1");
  EXPECT_EQ(v.provider_payment_id, "42");
  EXPECT_EQ(v.amount, (money{19900, "RUB"}));
}

TEST(PaymentRobokassaProvider, QueryStringWhenTheBodyIsEmpty) {
  http_request req;
  req.method = "GET";
  req.query = result_form("pay-1");
  EXPECT_TRUE(make().accept(req));
}

TEST(PaymentRobokassaProvider, WithoutShpPaymentItCarriesNoIdOfOurs) {
  auto sig = openssl_digest("md5", "199.000000:42:p2-secret");
  auto n = make().reparse("OutSum=199.000000&InvId=42&SignatureValue=" + sig);
  ASSERT_TRUE(n);
  EXPECT_TRUE(std::get<payment_verdict>(n->says).our_payment_id.empty());
}

TEST(PaymentRobokassaProvider, ReplayVerifiesTheSignatureAgain) {
  auto forged = result_form("pay-1");
  forged.replace(forged.find("InvId=42"), 8, "InvId=43");
  auto r = make().reparse(forged);
  ASSERT_FALSE(r);
  EXPECT_EQ(payment_error_code(r.error()), payment_errc::bad_signature);
}

}  // namespace
}  // namespace vpnbot::payments::robokassa
