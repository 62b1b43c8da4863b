#include "adapters/payments/cryptobot_provider.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/payments/json_fields.hpp"
#include "adapters/payments/payment_error.hpp"
#include "support/openssl_cli.hpp"

namespace vpnbot::payments::cryptobot {
namespace {

using kind = payment_verdict::kind;
using testing_support::openssl_digest;
using testing_support::openssl_hmac;

const std::string token = "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC";

provider make() {
  return provider({"https://pay.crypt.bot/api/", token}, {"USDT", "TON"});
}

std::string update_body(const std::string& type, const std::string& invoice) {
  return R"({"update_id":1,"update_type":")" + type +
         R"(","request_date":"2025-01-02T10:11:12.345Z","payload":)" + invoice + "}";
}

const std::string paid_fiat =
    R"({"invoice_id":528890,"status":"paid","currency_type":"fiat","fiat":"RUB",)"
    R"("amount":"199.00","payload":"pay-77"})";

http_request signed_request(const std::string& body) {
  http_request req;
  req.method = "POST";
  req.path = "/pay/cryptobot";
  req.body = body;
  req.headers = {
      {"crypto-pay-api-signature", openssl_hmac("sha256", openssl_digest("sha256", token), body)}};
  return req;
}

TEST(PaymentCryptoBotProvider, Identity) {
  auto p = make();
  EXPECT_EQ(p.name(), "cryptobot");
  EXPECT_EQ(p.webhook_path(), "/pay/cryptobot");
  EXPECT_EQ(p.webhook_methods(), std::vector<std::string>{"POST"});
  EXPECT_TRUE(p.supports_lookup());
  EXPECT_EQ(p.evidence_headers(), std::vector<std::string>{"crypto-pay-api-signature"});
}

TEST(PaymentCryptoBotProvider, PaidFiatInvoiceIsPaidAndAnsweredOk) {
  auto n = make().accept(signed_request(update_body("invoice_paid", paid_fiat)));
  ASSERT_TRUE(n) << caf::to_string(n.error());
  EXPECT_EQ(n->event_id, "invoice_paid:528890");
  EXPECT_EQ(n->answer.status, 200);
  EXPECT_EQ(n->answer.content_type, "application/json");
  EXPECT_EQ(n->answer.body, R"({"ok":true})");
  const auto* v = std::get_if<payment_verdict>(&n->says);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->what, kind::paid);
  EXPECT_EQ(v->provider, "cryptobot");
  EXPECT_EQ(v->our_payment_id, "pay-77");
  EXPECT_FALSE(v->payment_number);
  EXPECT_EQ(v->provider_payment_id, "528890");
  EXPECT_EQ(v->amount, (money{19900, "RUB"}));
}

TEST(PaymentCryptoBotProvider, OtherUpdatesAndCryptoPricedInvoicesAreIgnored) {
  auto other = make().accept(signed_request(update_body("invoice_created", paid_fiat)));
  ASSERT_TRUE(other);
  EXPECT_EQ(std::get<payment_verdict>(other->says).what, kind::ignored);
  invoice crypto;
  crypto.status = "paid";
  crypto.currency_type = "crypto";
  crypto.amount_minor = 15;
  EXPECT_EQ(verdict_of(crypto).what, kind::ignored);
  invoice active;
  active.status = "active";
  active.currency_type = "fiat";
  active.amount_minor = 100;
  EXPECT_EQ(verdict_of(active).what, kind::ignored);
}

TEST(PaymentCryptoBotProvider, BadSignatureIsRejectedAndReplayNeedsNone) {
  auto body = update_body("invoice_paid", paid_fiat);
  auto req = signed_request(body);
  req.headers.clear();
  auto rejected = make().accept(req);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(payment_error_code(rejected.error()), payment_errc::bad_signature);
  auto replayed = make().reparse(body);
  ASSERT_TRUE(replayed);
  EXPECT_EQ(std::get<payment_verdict>(replayed->says).what, kind::paid);
  EXPECT_FALSE(make().reparse("oops"));
}

TEST(PaymentCryptoBotProvider, IssueCallsCreateInvoice) {
  auto plan = make().issue({"pay-1", 5, {19900, "RUB"}, "VPN 30 days", 10});
  ASSERT_TRUE(plan) << caf::to_string(plan.error());
  auto* call = std::get_if<provider_exchange<issued_invoice>>(&*plan);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->request.url, "https://pay.crypt.bot/api/createInvoice");
  auto body = nlohmann::json::parse(call->request.body);
  EXPECT_EQ(body["payload"], "pay-1");
  EXPECT_EQ(body["accepted_assets"], "USDT,TON");
  EXPECT_EQ(body["expires_in"], 60);  // never less than a minute
  auto inv = call->read(
      200,
      R"({"ok":true,"result":{"invoice_id":7,"status":"active","currency_type":"fiat","fiat":"RUB","amount":"199","bot_invoice_url":"https://t.me/CryptoBot?start=x","payload":"pay-1"}})");
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->provider_invoice_id, "7");
  EXPECT_EQ(inv->pay_url, "https://t.me/CryptoBot?start=x");
  EXPECT_FALSE(call->read(502, "<html>"));
}

TEST(PaymentCryptoBotProvider, ALongDescriptionIsCutToTheLimitBetweenLetters) {
  std::string long_title = "a";
  for (int i = 0; i < 1100; ++i) long_title += "\xD0\xAF";  // "Я": 2 bytes, one character
  auto plan = make().issue({"pay-1", 5, {19900, "RUB"}, long_title, 600});
  ASSERT_TRUE(plan) << caf::to_string(plan.error());
  auto* call = std::get_if<provider_exchange<issued_invoice>>(&*plan);
  ASSERT_TRUE(call);
  auto sent = nlohmann::json::parse(call->request.body)["description"].get<std::string>();
  EXPECT_EQ(sent, long_title.substr(0, 1 + 1023 * 2));
  EXPECT_EQ(utf8_length(sent), max_description);
}

TEST(PaymentCryptoBotProvider, LookupIsOneBatchOfNumericIds) {
  auto p = make();
  EXPECT_TRUE(p.lookup({{"pay-1", ""}, {"pay-2", "abc"}}).empty());
  auto calls = p.lookup({{"pay-1", "11"}, {"pay-2", "x"}, {"pay-3", "12"}});
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0]);
  EXPECT_EQ(nlohmann::json::parse(calls[0]->request.body)["invoice_ids"], "11,12");
  auto found = calls[0]->read(
      200,
      R"({"ok":true,"result":{"items":[)" + paid_fiat +
          R"(,{"invoice_id":12,"status":"expired","currency_type":"fiat","fiat":"RUB","amount":"1","payload":"pay-3"}]}})");
  ASSERT_TRUE(found) << caf::to_string(found.error());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].event_id, "invoice_paid:528890");
  EXPECT_EQ(nlohmann::json::parse((*found)[0].summary),
            nlohmann::json({{"invoice_id", 528890}, {"status", "paid"}}));
  EXPECT_EQ((*found)[0].verdict.what, kind::paid);
  // An expired invoice can never be paid: the order failed.
  EXPECT_EQ((*found)[1].event_id, "invoice_expired:12");
  EXPECT_EQ((*found)[1].verdict.what, kind::canceled);
  EXPECT_EQ((*found)[1].verdict.our_payment_id, "pay-3");
  EXPECT_EQ((*found)[1].verdict.provider_payment_id, "12");
}

}  // namespace
}  // namespace vpnbot::payments::cryptobot
