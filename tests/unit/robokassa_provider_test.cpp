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
  EXPECT_FALSE(p.supports_lookup());
  EXPECT_TRUE(p.lookup({{"pay-1", ""}}).empty());
}

TEST(PaymentRobokassaProvider, IssueIsALinkSignedHere) {
  auto plan = make().issue({"pay-1", 42, {19900, "RUB"}, std::string(150, 'x'), 600});
  ASSERT_TRUE(plan) << caf::to_string(plan.error());
  auto* link = std::get_if<issued_invoice>(&*plan);
  ASSERT_TRUE(link);
  EXPECT_TRUE(link->provider_invoice_id.empty());
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
