#include "adapters/payments/coingate.hpp"

#include <gtest/gtest.h>

#include "adapters/codec/hex.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/payments/payment_error.hpp"
#include "support/openssl_cli.hpp"

namespace vpnbot::payments::coingate {
namespace {

using testing_support::openssl_hmac;

const settings api{"https://api-sandbox.coingate.com/v2", "cg-auth-token", "USDT"};
const std::string callback_secret = "callback-secret";

order_request a_request() {
  order_request r;
  r.payment_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  r.price = {19900, "RUB"};
  r.title = "VPN 30 days";
  r.description = "VPN 30 days";
  r.callback_url = "https://vpn.example.com/pay/coingate";
  r.success_url = "https://t.me/vpnbot";
  r.cancel_url = "https://t.me/vpnbot";
  r.token = callback_token(callback_secret, r.payment_id);
  return r;
}

std::string field(const std::string& form, const std::string& key) {
  auto fields = codec::form_decode(form);
  for (const auto& [k, v] : fields.value())
    if (k == key) return v;
  return "<absent>";
}

// A callback as CoinGate posts it (form-encoded, its field order).
std::string callback_body(const std::string& status, const std::string& token) {
  return "id=538&order_id=pay-77&status=" + status +
         "&pay_amount=2.15&pay_currency=USDT&price_amount=199.0&price_currency=RUB"
         "&receive_currency=USDT&receive_amount=2.13&created_at=2026-11-22T10%3A00%3A00%2B00%3A00"
         "&token=" +
         token + "&underpaid_amount=0&overpaid_amount=0&is_refundable=true";
}

TEST(PaymentCoinGate, CreateOrderIsAFormWithTheTokenHeader) {
  auto r = create_order_request(api, a_request());
  ASSERT_TRUE(r) << caf::to_string(r.error());
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://api-sandbox.coingate.com/v2/orders");
  EXPECT_EQ(*r->header("Authorization"), "Token cg-auth-token");
  EXPECT_EQ(*r->header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(field(r->body, "order_id"), "0f8fad5b-d9cb-469f-a165-70867728950e");
  EXPECT_EQ(field(r->body, "price_amount"), "199.00");
  EXPECT_EQ(field(r->body, "price_currency"), "RUB");
  EXPECT_EQ(field(r->body, "receive_currency"), "USDT");
  EXPECT_EQ(field(r->body, "title"), "VPN 30 days");
  EXPECT_EQ(field(r->body, "callback_url"), "https://vpn.example.com/pay/coingate");
  EXPECT_EQ(field(r->body, "success_url"), "https://t.me/vpnbot");
  EXPECT_EQ(field(r->body, "cancel_url"), "https://t.me/vpnbot");
  EXPECT_EQ(field(r->body, "token"), callback_token(callback_secret, a_request().payment_id));
}

TEST(PaymentCoinGate, TextsShorterThanCoinGatesMinimumAreLeftOut) {
  auto req = a_request();
  req.title = "Go";
  req.description = "";
  auto r = create_order_request(api, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(field(r->body, "title"), "<absent>");
  EXPECT_EQ(field(r->body, "description"), "<absent>");
}

TEST(PaymentCoinGate, RequestsThatCannotBeBuiltAreInvalid) {
  auto check = [](order_request req) {
    auto r = create_order_request(api, req);
    ASSERT_FALSE(r);
    EXPECT_EQ(payment_error_code(r.error()), payment_errc::invalid_argument);
    EXPECT_EQ(caf::to_string(r.error()).find("cg-auth-token"), std::string::npos);
  };
  auto req = a_request();
  req.price.minor = 0;
  check(req);
  req = a_request();
  req.price.currency = "XYZ";
  check(req);
  req = a_request();
  req.title = std::string(151, 'a');
  check(req);
  req = a_request();
  req.callback_url.clear();
  check(req);
  req = a_request();
  req.token.clear();
  check(req);
  req = a_request();
  req.payment_id.clear();
  check(req);
}

TEST(PaymentCoinGate, GetOrderEscapesTheId) {
  auto r = get_order_request(api, "538");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->url, "https://api-sandbox.coingate.com/v2/orders/538");
  EXPECT_EQ(*r->header("Authorization"), "Token cg-auth-token");
  EXPECT_EQ(get_order_request(api, "../x")->url,
            "https://api-sandbox.coingate.com/v2/orders/..%2Fx");
  EXPECT_FALSE(get_order_request(api, ""));
}

TEST(PaymentCoinGate, ReadsAnOrderWithItsExactPrice) {
  auto o = read_order_reply(
      200,
      R"({"id":538,"status":"paid","title":"VPN","price_currency":"RUB","price_amount":"199.0",)"
      R"("receive_currency":"USDT","receive_amount":"2.13","order_id":"pay-77",)"
      R"("payment_url":"https://pay-sandbox.coingate.com/invoice/abc","token":"t"})");
  ASSERT_TRUE(o) << caf::to_string(o.error());
  EXPECT_EQ(o->id, "538");
  EXPECT_EQ(o->status, "paid");
  EXPECT_EQ(o->order_id, "pay-77");
  EXPECT_EQ(o->price, (money{19900, "RUB"}));
  EXPECT_EQ(o->payment_url, "https://pay-sandbox.coingate.com/invoice/abc");
}

TEST(PaymentCoinGate, OrdersWithoutAnExactPriceOrIdAreMalformed) {
  for (const char* body : {
           R"({"status":"paid","price_currency":"RUB","price_amount":"199.0"})",
           R"({"id":1,"status":"paid","price_currency":"RUB","price_amount":"199.001"})",
           R"({"id":1,"status":"paid","price_currency":"RUB","price_amount":199.0})",
           R"({"id":1,"price_currency":"RUB","price_amount":"199.0"})",
           R"([1,2])",
           "not json",
       }) {
    auto o = read_order_reply(200, body);
    ASSERT_FALSE(o) << body;
    EXPECT_EQ(payment_error_code(o.error()), payment_errc::malformed) << body;
  }
}

TEST(PaymentCoinGate, ErrorRepliesSayWhetherToRetry) {
  auto code = [](int status, const std::string& body) {
    return payment_error_code(read_order_reply(status, body).error());
  };
  EXPECT_EQ(code(500, ""), payment_errc::retry_later);
  EXPECT_EQ(code(504, "<html>"), payment_errc::retry_later);
  EXPECT_EQ(code(429, ""), payment_errc::retry_later);
  EXPECT_EQ(code(401, R"({"message":"Unauthorized","reason":"BadAuthToken"})"),
            payment_errc::rejected);
  EXPECT_EQ(code(422, R"({"message":"Order is not valid","reason":"OrderIsNotValid"})"),
            payment_errc::rejected);
  EXPECT_EQ(code(404, R"({"message":"Order not found","reason":"OrderNotFound"})"),
            payment_errc::rejected);
  EXPECT_EQ(code(302, ""), payment_errc::unexpected_status);
  auto e = read_order_reply(404, R"({"message":"Order not found","reason":"OrderNotFound"})");
  EXPECT_NE(caf::to_string(e.error()).find("OrderNotFound"), std::string::npos);
}

TEST(PaymentCoinGate, TheCallbackTokenIsAnHmacOfOurPaymentId) {
  // Independent: the MAC by `openssl dgst -mac HMAC` over the same bytes.
  EXPECT_EQ(callback_token(callback_secret, "pay-77"),
            openssl_hmac("sha256", codec::hex_encode(callback_secret), "coingate:pay-77"));
  EXPECT_NE(callback_token(callback_secret, "pay-77"), callback_token(callback_secret, "pay-78"));
  EXPECT_NE(callback_token(callback_secret, "pay-77"), callback_token("other", "pay-77"));
}

TEST(PaymentCoinGate, ParsesTheCallbackForm) {
  auto c = parse_callback(callback_body("paid", "tok"));
  ASSERT_TRUE(c) << caf::to_string(c.error());
  EXPECT_EQ(c->id, "538");
  EXPECT_EQ(c->order_id, "pay-77");
  EXPECT_EQ(c->status, "paid");
  EXPECT_EQ(c->token, "tok");
  EXPECT_EQ(c->event_id(), "order.paid:538");
  for (const char* body : {"", "id=538&status=paid", "order_id=x&status=paid", "id=538&order_id=x",
                           "id=%zz&order_id=x&status=paid"}) {
    auto bad = parse_callback(body);
    ASSERT_FALSE(bad) << body;
    EXPECT_EQ(payment_error_code(bad.error()), payment_errc::malformed) << body;
  }
}

TEST(PaymentCoinGate, OnlyTheTokenDerivedForTheOrderIsAccepted) {
  auto good = callback_token(callback_secret, "pay-77");
  EXPECT_TRUE(accept_callback(callback_secret, callback_body("paid", good)));
  for (const auto& token :
       {std::string(""), std::string("x"), callback_token(callback_secret, "pay-78"),
        callback_token("other", "pay-77"), good.substr(1)}) {
    auto c = accept_callback(callback_secret, callback_body("paid", token));
    ASSERT_FALSE(c) << token;
    EXPECT_EQ(payment_error_code(c.error()), payment_errc::bad_signature);
  }
}

}  // namespace
}  // namespace vpnbot::payments::coingate
