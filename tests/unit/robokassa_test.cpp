#include "adapters/payments/robokassa.hpp"

#include <gtest/gtest.h>

#include "adapters/payments/payment_error.hpp"
#include "support/error_code_of.hpp"
#include "support/openssl_cli.hpp"

namespace vpnbot::payments::robokassa {
namespace {

using testing_support::openssl_digest;

settings shop(crypto::hash_algorithm algorithm = crypto::hash_algorithm::md5) {
  settings s;
  s.merchant_login = "demo";
  s.password1 = "p1 secret";
  s.password2 = "p2-secret";
  s.algorithm = algorithm;
  return s;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string query_value(const std::string& url, const std::string& key) {
  auto at = url.find("&" + key + "=");
  if (at == std::string::npos) return {};
  at += key.size() + 2;
  return url.substr(at, url.find('&', at) - at);
}

TEST(PaymentRobokassa, PaymentLinkIsSignedWithPassword1AndSortedShp) {
  auto s = shop();
  s.test = true;
  s.culture = "ru";
  link_request req{5, {19900, "RUB"}, "VPN на 30 дней", {{"user", "123"}, {"plan", "m1"}}, ""};
  auto url = payment_link(s, req);
  ASSERT_TRUE(url);
  const auto sig = openssl_digest("md5", "demo:199.00:5:p1 secret:Shp_plan=m1:Shp_user=123");
  EXPECT_EQ(*url,
            "https://auth.robokassa.ru/Merchant/Index.aspx?MerchantLogin=demo&OutSum=199.00"
            "&InvId=5&Description=VPN+%D0%BD%D0%B0+30+%D0%B4%D0%BD%D0%B5%D0%B9&SignatureValue=" +
                sig + "&Culture=ru&IsTest=1&Shp_user=123&Shp_plan=m1");
}

TEST(PaymentRobokassa, ShpOrderDoesNotChangeTheSignature) {
  link_request a{7, {100, "RUB"}, "x", {{"b", "2"}, {"a", "1"}}, ""};
  link_request b{7, {100, "RUB"}, "x", {{"a", "1"}, {"b", "2"}}, ""};
  auto sig = openssl_digest("md5", "demo:1.00:7:p1 secret:Shp_a=1:Shp_b=2");
  EXPECT_EQ(query_value(*payment_link(shop(), a), "SignatureValue"), sig);
  EXPECT_EQ(query_value(*payment_link(shop(), b), "SignatureValue"), sig);
}

TEST(PaymentRobokassa, Sha256LinkAndEmail) {
  link_request req{9, {50000, "RUB"}, "Plan", {}, "a@b.c"};
  auto url = payment_link(shop(crypto::hash_algorithm::sha256), req);
  ASSERT_TRUE(url);
  EXPECT_EQ(query_value(*url, "SignatureValue"),
            openssl_digest("sha256", "demo:500.00:9:p1 secret"));
  EXPECT_EQ(query_value(*url, "Email"), "a%40b.c");
}

TEST(PaymentRobokassa, LinkRejectsBadInput) {
  link_request good{1, {100, "RUB"}, "x", {}, ""};
  ASSERT_TRUE(payment_link(shop(), good));
  auto bad = good;
  bad.shp = {{"a", "1"}, {"ab", "2"}};
  EXPECT_EQ(payment_code(payment_link(shop(), bad)), payment_errc::invalid_argument);
  bad = good;
  bad.shp = {{"a-b", "1"}};
  EXPECT_EQ(payment_code(payment_link(shop(), bad)), payment_errc::invalid_argument);
  bad = good;
  bad.price.currency = "USD";
  EXPECT_EQ(payment_code(payment_link(shop(), bad)), payment_errc::invalid_argument);
  bad = good;
  bad.invoice_id = 2147483648;
  EXPECT_EQ(payment_code(payment_link(shop(), bad)), payment_errc::invalid_argument);
  bad = good;
  bad.description = std::string(101, 'x');
  EXPECT_EQ(payment_code(payment_link(shop(), bad)), payment_errc::invalid_argument);
}

// The documentation's example: OutSum arrives with six decimals and is
// hashed exactly as received.
std::string result_form_with(const std::string& signature,
                             const std::string& out_sum = "100.000000") {
  return "OutSum=" + out_sum +
         "&InvId=450009&Fee=3.90&EMail=payer%40example.com&SignatureValue=" + signature +
         "&PaymentMethod=BankCard&IncCurrLabel=BankCardPSR&Shp_oplata=1&Shp_login=Vasya";
}

const std::string result_base = "100.000000:450009:p2-secret:Shp_login=Vasya:Shp_oplata=1";

TEST(PaymentRobokassa, ResultUrlVerifiesOutSumAsReceived) {
  const auto sig = openssl_digest("md5", result_base);
  for (const auto& s : {sig, upper(sig)}) {
    auto r = verify_result(shop(), result_form_with(s));
    ASSERT_TRUE(r) << caf::to_string(r.error());
    EXPECT_EQ(r->out_sum, "100.000000");
    EXPECT_EQ(r->amount_minor, 10000);
    EXPECT_EQ(r->invoice_id, 450009);
    EXPECT_EQ(r->fee, "3.90");
    EXPECT_EQ(r->email, "payer@example.com");
    EXPECT_EQ(r->payment_method, "BankCard");
    EXPECT_EQ(r->shp, (shp_fields{{"Shp_oplata", "1"}, {"Shp_login", "Vasya"}}));
    EXPECT_EQ(r->event_id(), "result:450009");
  }
  EXPECT_EQ(result_reply(450009), "OK450009");
}

TEST(PaymentRobokassa, ResultUrlRejectsForgeries) {
  const auto sig = openssl_digest("md5", result_base);
  // Altered amount.
  EXPECT_EQ(payment_code(verify_result(shop(), result_form_with(sig, "200.000000"))),
            payment_errc::bad_signature);
  // Re-formatted amount: the signature is over the received text.
  EXPECT_EQ(payment_code(verify_result(
                shop(), result_form_with(openssl_digest(
                            "md5", "100.00:450009:p2-secret:Shp_login=Vasya:Shp_oplata=1")))),
            payment_errc::bad_signature);
  // Wrong key: password #1 instead of #2.
  EXPECT_EQ(payment_code(verify_result(
                shop(), result_form_with(openssl_digest(
                            "md5", "100.000000:450009:p1 secret:Shp_login=Vasya:Shp_oplata=1")))),
            payment_errc::bad_signature);
  // Shp_ in received order instead of sorted.
  EXPECT_EQ(payment_code(verify_result(
                shop(), result_form_with(openssl_digest(
                            "md5", "100.000000:450009:p2-secret:Shp_oplata=1:Shp_login=Vasya")))),
            payment_errc::bad_signature);
  // A dropped Shp_ field.
  auto form = result_form_with(sig);
  form.erase(form.find("&Shp_login=Vasya"));
  EXPECT_EQ(payment_code(verify_result(shop(), form)), payment_errc::bad_signature);
  // No signature at all.
  EXPECT_EQ(payment_code(verify_result(shop(), "OutSum=1.00&InvId=1")),
            payment_errc::bad_signature);
  // md5 where the shop uses sha256.
  EXPECT_EQ(
      payment_code(verify_result(shop(crypto::hash_algorithm::sha256), result_form_with(sig))),
      payment_errc::bad_signature);
}

TEST(PaymentRobokassa, ResultUrlWithSha256) {
  auto sig = openssl_digest("sha256", result_base);
  EXPECT_TRUE(verify_result(shop(crypto::hash_algorithm::sha256), result_form_with(sig)));
  EXPECT_TRUE(verify_result(shop(crypto::hash_algorithm::sha256), result_form_with(upper(sig))));
}

TEST(PaymentRobokassa, ResultUrlMalformedFields) {
  auto signed_form = [](const std::string& out_sum, const std::string& inv) {
    auto sig = openssl_digest("md5", out_sum + ":" + inv + ":p2-secret");
    return "OutSum=" + out_sum + "&InvId=" + inv + "&SignatureValue=" + sig;
  };
  EXPECT_TRUE(verify_result(shop(), signed_form("5", "3")));
  EXPECT_EQ(payment_code(verify_result(shop(), signed_form("100.005000", "3"))),
            payment_errc::malformed);
  EXPECT_EQ(payment_code(verify_result(shop(), signed_form("1.00", "-3"))),
            payment_errc::malformed);
  EXPECT_EQ(payment_code(verify_result(shop(), signed_form("1.00", "3") + "&OutSum=2.00")),
            payment_errc::malformed);
  EXPECT_EQ(payment_code(verify_result(shop(), "OutSum=%ZZ")), payment_errc::malformed);
  EXPECT_EQ(payment_code(verify_result(shop(), "InvId=1&SignatureValue=ab")),
            payment_errc::malformed);
}

TEST(PaymentRobokassa, ShpPrefixIsCaseInsensitive) {
  auto sig = openssl_digest("md5", "1.00:3:p2-secret:shp_x=1");
  auto r = verify_result(shop(), "OutSum=1.00&InvId=3&shp_x=1&SignatureValue=" + sig);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->shp, (shp_fields{{"shp_x", "1"}}));
}

TEST(PaymentRobokassa, ErrorsNeverCarryPasswordsOrSignatures) {
  const auto sig = openssl_digest("md5", result_base);
  auto r = verify_result(shop(), result_form_with(sig, "200.000000"));
  ASSERT_FALSE(r);
  auto text = caf::to_string(r.error());
  EXPECT_EQ(text.find("p2-secret"), std::string::npos);
  EXPECT_EQ(text.find(sig), std::string::npos);
}

}  // namespace
}  // namespace vpnbot::payments::robokassa
