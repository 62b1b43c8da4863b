#include "adapters/payments/cryptobot.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/codec/hex.hpp"
#include "adapters/payments/payment_error.hpp"
#include "support/error_code_of.hpp"
#include "support/openssl_cli.hpp"

namespace vpnbot::payments::cryptobot {
namespace {

using nlohmann::json;
using testing_support::openssl_digest;
using testing_support::openssl_hmac;

const std::string app_token = "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC";

// A webhook body as Crypto Pay sends it; signatures cover these exact bytes.
const std::string body =
    R"({"update_id":41,"update_type":"invoice_paid","request_date":"2025-01-02T10:11:12.345Z",)"
    R"("payload":{"invoice_id":528890,"hash":"IVkKtbQ2vM","currency_type":"fiat","fiat":"RUB",)"
    R"("amount":"199.00","paid_asset":"USDT","paid_amount":"2.137",)"
    R"("accepted_assets":["USDT","TON"],"status":"paid",)"
    R"("bot_invoice_url":"https://t.me/CryptoBot?start=IVkKtbQ2vM","description":"VPN 30 days",)"
    R"("created_at":"2025-01-02T10:00:00.000Z","paid_at":"2025-01-02T10:11:10.000Z",)"
    R"("payload":"pay-77","allow_comments":false,"allow_anonymous":true}})";

// Independent: the key is SHA-256 of the token by `openssl dgst`, the MAC
// by `openssl dgst -mac HMAC`.
std::string expected_signature(const std::string& t, const std::string& b) {
  return openssl_hmac("sha256", openssl_digest("sha256", t), b);
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST(PaymentCryptoBot, SignatureOverRawBodyKeyedBySha256OfToken) {
  const auto sig = expected_signature(app_token, body);
  EXPECT_TRUE(verify_signature(app_token, body, sig));
  EXPECT_TRUE(verify_signature(app_token, body, upper(sig)));
}

TEST(PaymentCryptoBot, WrongKeyOrAlteredBytesFail) {
  const auto sig = expected_signature(app_token, body);
  EXPECT_FALSE(verify_signature(app_token + "x", body, sig));
  // The HMAC keyed by the raw token (a common mistake) is not accepted.
  EXPECT_FALSE(verify_signature(app_token, body,
                                openssl_hmac("sha256", codec::hex_encode(app_token), body)));
  std::string altered_amount = body;
  altered_amount.replace(altered_amount.find("199.00"), 6, "299.00");
  EXPECT_FALSE(verify_signature(app_token, altered_amount, sig));
  std::string reserialised = json::parse(body).dump();  // same JSON, other bytes
  EXPECT_FALSE(verify_signature(app_token, reserialised, sig));
  EXPECT_FALSE(verify_signature(app_token, body, ""));
  EXPECT_FALSE(verify_signature(app_token, body, sig.substr(0, 63)));
  EXPECT_FALSE(verify_signature(app_token, body, "zz" + sig.substr(2)));
}

TEST(PaymentCryptoBot, WebhookIsVerifiedThenParsed) {
  http_request req;
  req.method = "POST";
  req.body = body;
  req.headers = {{"content-type", "application/json"},
                 {"crypto-pay-api-signature", expected_signature(app_token, body)}};
  auto u = accept_webhook({"https://pay.crypt.bot/api/", app_token}, req);
  ASSERT_TRUE(u) << caf::to_string(u.error());
  EXPECT_EQ(u->update_id, 41);
  EXPECT_EQ(u->update_type, "invoice_paid");
  EXPECT_EQ(u->invoice_data.invoice_id, 528890);
  EXPECT_EQ(u->invoice_data.status, "paid");
  EXPECT_EQ(u->invoice_data.payload, "pay-77");
  EXPECT_EQ(u->invoice_data.currency_type, "fiat");
  EXPECT_EQ(u->invoice_data.currency, "RUB");
  EXPECT_EQ(u->invoice_data.amount, "199.00");
  EXPECT_EQ(u->invoice_data.amount_minor, 19900);
  EXPECT_EQ(u->invoice_data.paid_asset, "USDT");
  EXPECT_EQ(u->invoice_data.paid_amount, "2.137");
  EXPECT_EQ(u->invoice_data.paid_at, "2025-01-02T10:11:10.000Z");
  EXPECT_EQ(u->invoice_data.pay_url, "https://t.me/CryptoBot?start=IVkKtbQ2vM");
  EXPECT_EQ(u->event_id(), "invoice_paid:528890");

  req.headers.pop_back();
  auto missing = accept_webhook({"https://pay.crypt.bot/api/", app_token}, req);
  EXPECT_EQ(payment_code(missing), payment_errc::bad_signature);
  EXPECT_EQ(caf::to_string(missing.error()).find(app_token), std::string::npos);
}

TEST(PaymentCryptoBot, UpdateParsingRejectsMalformedBodies) {
  EXPECT_EQ(payment_code(parse_update("not json")), payment_errc::malformed);
  EXPECT_EQ(payment_code(parse_update(R"({"update_type":"invoice_paid"})")),
            payment_errc::malformed);
  EXPECT_EQ(
      payment_code(parse_update(R"({"update_type":"invoice_paid","payload":{"status":"paid"}})")),
      payment_errc::malformed);
  // A float amount is not trusted as money.
  auto u = parse_update(
      R"({"update_type":"invoice_paid","payload":{"invoice_id":1,"status":"paid","currency_type":"crypto","asset":"TON","amount":1.5}})");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->invoice_data.amount_minor);
}

TEST(PaymentCryptoBot, CreateInvoiceRequest) {
  settings s{"https://testnet-pay.crypt.bot/api/", app_token};
  invoice_request req;
  req.payment_id = "pay-77";
  req.price = {19900, "RUB"};
  req.accepted_assets = {"USDT", "TON"};
  req.description = "VPN 30 days";
  req.expires_in = std::chrono::seconds(1800);
  req.return_url = "https://t.me/vpnbot";
  auto r = create_invoice_request(s, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://testnet-pay.crypt.bot/api/createInvoice");
  EXPECT_EQ(*r->header("Crypto-Pay-API-Token"), app_token);
  EXPECT_EQ(json::parse(r->body), json({{"currency_type", "fiat"},
                                        {"fiat", "RUB"},
                                        {"amount", "199.00"},
                                        {"accepted_assets", "USDT,TON"},
                                        {"payload", "pay-77"},
                                        {"description", "VPN 30 days"},
                                        {"expires_in", 1800},
                                        {"paid_btn_name", "callback"},
                                        {"paid_btn_url", "https://t.me/vpnbot"}}));
}

TEST(PaymentCryptoBot, CreateInvoiceRejectsBadInput) {
  settings s{"https://pay.crypt.bot/api/", app_token};
  invoice_request good{"pay-1", {100, "USD"}, {}, "", std::chrono::seconds(60), ""};
  ASSERT_TRUE(create_invoice_request(s, good));
  auto bad = good;
  bad.price.currency = "USDT";
  EXPECT_EQ(payment_code(create_invoice_request(s, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.price.minor = 0;
  EXPECT_EQ(payment_code(create_invoice_request(s, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.payment_id.clear();
  EXPECT_EQ(payment_code(create_invoice_request(s, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.accepted_assets = {"usdt"};
  EXPECT_EQ(payment_code(create_invoice_request(s, bad)), payment_errc::invalid_argument);
  bad = good;
  bad.expires_in = std::chrono::seconds(2678401);
  EXPECT_EQ(payment_code(create_invoice_request(s, bad)), payment_errc::invalid_argument);
}

TEST(PaymentCryptoBot, GetInvoicesRequestAndReplies) {
  settings s{"https://pay.crypt.bot/api/", app_token};
  auto r = get_invoices_request(s, {528890, 528891});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->url, "https://pay.crypt.bot/api/getInvoices");
  EXPECT_EQ(json::parse(r->body), json({{"invoice_ids", "528890,528891"}, {"count", 2}}));
  EXPECT_EQ(payment_code(get_invoices_request(s, {})), payment_errc::invalid_argument);

  auto items = read_get_invoices_reply(
      200,
      R"({"ok":true,"result":{"items":[{"invoice_id":528890,"status":"active","currency_type":"crypto","asset":"USDT","amount":"2.5","payload":"pay-1"}]}})");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].amount_minor, 2500000);

  auto created = read_create_invoice_reply(
      200,
      R"({"ok":true,"result":{"invoice_id":7,"status":"active","currency_type":"fiat","fiat":"RUB","amount":"199","bot_invoice_url":"https://t.me/CryptoBot?start=x","payload":"pay-1"}})");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->amount_minor, 19900);
  EXPECT_EQ(created->pay_url, "https://t.me/CryptoBot?start=x");

  auto rejected = read_create_invoice_reply(
      400, R"({"ok":false,"error":{"code":400,"name":"AMOUNT_TOO_SMALL"}})");
  EXPECT_EQ(payment_code(rejected), payment_errc::rejected);
  EXPECT_NE(caf::to_string(rejected.error()).find("AMOUNT_TOO_SMALL"), std::string::npos);
  EXPECT_EQ(payment_code(read_create_invoice_reply(502, "<html>")), payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_create_invoice_reply(429, R"({"ok":false})")),
            payment_errc::retry_later);
  EXPECT_EQ(payment_code(read_create_invoice_reply(200, "[]")), payment_errc::malformed);
  EXPECT_EQ(payment_code(read_create_invoice_reply(404, "")), payment_errc::unexpected_status);
}

}  // namespace
}  // namespace vpnbot::payments::cryptobot
