#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/telegram/bot_api.hpp"

namespace vpnbot::telegram {
namespace {

const std::string token = "123456:ABC-def_ghi";

endpoint ep() {
  return endpoint::make("http://127.0.0.1:8081/", token).value();
}

api_request ok(const build_result& r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return r.value();
}

inline_keyboard one_button() {
  return {{{inline_button::callback("Buy", "m:buy")}}};
}

TEST(TelegramEndpoint, BuildsPathsAndHidesTheToken) {
  auto e = ep();
  EXPECT_EQ(e.base_url(), "http://127.0.0.1:8081");
  EXPECT_EQ(e.path("getMe"), "/bot123456:ABC-def_ghi/getMe");
  EXPECT_EQ(e.url("getMe"), "http://127.0.0.1:8081/bot123456:ABC-def_ghi/getMe");
  EXPECT_EQ(e.redacted_url("getMe"), "http://127.0.0.1:8081/bot***/getMe");
}

TEST(TelegramEndpoint, RejectsBadInputWithoutEchoingTheToken) {
  auto bad_base = endpoint::make("ftp://x", token);
  ASSERT_FALSE(bad_base);
  EXPECT_EQ(bad_base.error().find(token), std::string::npos);
  for (std::string t : {"", "abc", "12:", ":abc", "12:ab/c", "12:a b", "x1:abc"}) {
    auto r = endpoint::make("https://api.telegram.org", t);
    ASSERT_FALSE(r) << t;
    if (!t.empty()) {
      EXPECT_EQ(r.error().find(t), std::string::npos) << r.error();
    }
  }
  EXPECT_FALSE(endpoint::make("https://", token));
  EXPECT_FALSE(endpoint::make("https://h/p?x=1", token));
  EXPECT_TRUE(endpoint::make("https://h:8443/prefix", token));
}

TEST(TelegramEndpoint, RedactsTokensInAnyText) {
  EXPECT_EQ(redact("GET https://api.telegram.org/bot123:AAH-x_y/sendMessage failed"),
            "GET https://api.telegram.org/bot***/sendMessage failed");
  EXPECT_EQ(redact("/bot1:a/x and /file/bot2:b/y"), "/bot***/x and /file/bot***/y");
  EXPECT_EQ(redact("ends with /bot1:a"), "ends with /bot***");
  EXPECT_EQ(redact("encoded /bot1%3Aabc/getMe"), "encoded /bot***/getMe");
  EXPECT_EQ(redact("/botany/ and /bot/ stay"), "/botany/ and /bot/ stay");
  EXPECT_EQ(redact(""), "");
}

TEST(TelegramBotApi, GetMe) {
  auto r = ok(build(ep(), get_me{}));
  EXPECT_EQ(r.method, "getMe");
  EXPECT_EQ(r.http_method, "POST");
  EXPECT_EQ(r.path, "/bot123456:ABC-def_ghi/getMe");
  EXPECT_EQ(r.url(), "http://127.0.0.1:8081/bot123456:ABC-def_ghi/getMe");
  EXPECT_EQ(r.redacted_url, "http://127.0.0.1:8081/bot***/getMe");
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "{}");
  EXPECT_FALSE(r.chat_id);
}

TEST(TelegramBotApi, GetUpdates) {
  auto r = ok(build(
      ep(), get_updates{.offset = 42,
                        .limit = 100,
                        .timeout_seconds = 25,
                        .allowed_updates = std::vector<std::string>{"message", "callback_query"}}));
  EXPECT_EQ(
      r.body,
      R"({"allowed_updates":["message","callback_query"],"limit":100,"offset":42,"timeout":25})");
  EXPECT_EQ(r.long_poll, std::chrono::seconds(25));
  EXPECT_EQ(ok(build(ep(), get_updates{})).body, R"({"timeout":0})");
  EXPECT_EQ(
      ok(build(ep(), get_updates{.offset = -1, .allowed_updates = std::vector<std::string>{}}))
          .body,
      R"({"allowed_updates":[],"offset":-1,"timeout":0})");
  EXPECT_FALSE(build(ep(), get_updates{.limit = 0}));
  EXPECT_FALSE(build(ep(), get_updates{.limit = 101}));
  EXPECT_FALSE(build(ep(), get_updates{.timeout_seconds = -1}));
}

TEST(TelegramBotApi, SetWebhook) {
  set_webhook p;
  p.url = "https://bot.example.com/telegram";
  p.max_connections = 40;
  p.allowed_updates = std::vector<std::string>{"message"};
  p.drop_pending_updates = true;
  p.secret_token = "s3cr3t_-X";
  auto r = ok(build(ep(), p));
  EXPECT_EQ(r.method, "setWebhook");
  EXPECT_EQ(r.body,
            R"({"allowed_updates":["message"],"drop_pending_updates":true,"max_connections":40,)"
            R"("secret_token":"s3cr3t_-X","url":"https://bot.example.com/telegram"})");
  EXPECT_EQ(ok(build(ep(), set_webhook{.url = "https://x/y"})).body, R"({"url":"https://x/y"})");
  EXPECT_FALSE(build(ep(), set_webhook{}));
  p.secret_token = "has space";
  EXPECT_FALSE(build(ep(), p));
  p.secret_token = std::string(257, 'a');
  EXPECT_FALSE(build(ep(), p));
  p.secret_token.reset();
  p.max_connections = 0;
  EXPECT_FALSE(build(ep(), p));
}

TEST(TelegramBotApi, DeleteWebhookAndGetWebhookInfo) {
  EXPECT_EQ(ok(build(ep(), delete_webhook{})).body, "{}");
  EXPECT_EQ(ok(build(ep(), delete_webhook{.drop_pending_updates = true})).body,
            R"({"drop_pending_updates":true})");
  auto info = ok(build(ep(), get_webhook_info{}));
  EXPECT_EQ(info.method, "getWebhookInfo");
  EXPECT_EQ(info.body, "{}");
}

TEST(TelegramBotApi, SendMessage) {
  send_message p;
  p.chat_id = 4503599627370495;  // 2^52 - 1
  p.text = "Привет, <b>мир</b>";
  p.mode = parse_mode::html;
  p.disable_link_preview = true;
  p.reply_markup = one_button();
  auto r = ok(build(ep(), p));
  EXPECT_EQ(r.method, "sendMessage");
  EXPECT_EQ(r.chat_id, 4503599627370495);
  EXPECT_EQ(r.body,
            R"({"chat_id":4503599627370495,"link_preview_options":{"is_disabled":true},)"
            R"("parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"callback_data":"m:buy",)"
            R"("text":"Buy"}]]},"text":"Привет, <b>мир</b>"})");
  send_message plain{.chat_id = 7, .text = "hi"};
  plain.disable_notification = true;
  plain.protect_content = true;
  EXPECT_EQ(ok(build(ep(), plain)).body,
            R"({"chat_id":7,"disable_notification":true,"protect_content":true,"text":"hi"})");
}

// A keyboard rendered once is sent as the same bytes the built one gives,
// in sendMessage and editMessageText; giving both is refused.
TEST(TelegramBotApi, ARenderedKeyboardIsSentAsTheBuiltOneIs) {
  auto rendered = rendered_keyboard::of(one_button());
  ASSERT_TRUE(rendered);
  send_message built{.chat_id = 7, .text = "hi", .reply_markup = one_button()};
  send_message kept{.chat_id = 7, .text = "hi", .rendered_markup = *rendered};
  EXPECT_EQ(ok(build(ep(), kept)).body, ok(build(ep(), built)).body);
  edit_message_text edit_built{
      .chat_id = 7, .message_id = 9, .text = "hi", .reply_markup = one_button()};
  edit_message_text edit_kept{
      .chat_id = 7, .message_id = 9, .text = "hi", .rendered_markup = *rendered};
  EXPECT_EQ(ok(build(ep(), edit_kept)).body, ok(build(ep(), edit_built)).body);
  send_message both = kept;
  both.reply_markup = one_button();
  auto r = build(ep(), both);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("given twice"), std::string::npos) << r.error();
  EXPECT_FALSE(rendered_keyboard::of(inline_keyboard{{{inline_button::callback("b", "")}}}));
}

TEST(TelegramBotApi, SendMessageLimits) {
  EXPECT_FALSE(build(ep(), send_message{.chat_id = 1, .text = ""}));
  EXPECT_TRUE(build(ep(), send_message{.chat_id = 1, .text = std::string(4096, 'a')}));
  EXPECT_FALSE(build(ep(), send_message{.chat_id = 1, .text = std::string(4097, 'a')}));
  std::string cyrillic;
  for (int i = 0; i < 4096; ++i) cyrillic += "ж";  // 2 bytes, one UTF-16 unit each
  EXPECT_TRUE(build(ep(), send_message{.chat_id = 1, .text = cyrillic}));
  EXPECT_FALSE(build(ep(), send_message{.chat_id = 1, .text = "bad \xff utf-8"}));
  send_message long_data{.chat_id = 1, .text = "x"};
  long_data.reply_markup = inline_keyboard{{{inline_button::callback("b", std::string(65, 'd'))}}};
  auto r = build(ep(), long_data);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("1-64 bytes"), std::string::npos);
}

// Button texts are not length-checked as message texts are; a byte that is
// not UTF-8 still leaves a body Telegram can read.
TEST(TelegramBotApi, AButtonThatIsNotUtf8StillGivesValidJson) {
  send_message p{.chat_id = 1, .text = "x"};
  p.reply_markup = inline_keyboard{{{inline_button::callback("B\xffuy", "m:buy")}}};
  auto body = ok(build(ep(), p)).body;
  EXPECT_EQ(nlohmann::json::parse(body)["reply_markup"]["inline_keyboard"][0][0]["text"],
            "B\xEF\xBF\xBDuy");
}

TEST(TelegramBotApi, TelegramLengthCountsUtf16Units) {
  EXPECT_EQ(telegram_length("abc"), 3u);
  EXPECT_EQ(telegram_length("жж"), 2u);
  EXPECT_EQ(telegram_length("😀"), 2u);  // outside the BMP: a surrogate pair
  EXPECT_FALSE(telegram_length("\xc3"));
  EXPECT_FALSE(telegram_length("\x80"));
}

TEST(TelegramBotApi, EditMessageText) {
  edit_message_text p{.chat_id = 10, .message_id = 77, .text = "Menu", .mode = parse_mode::html};
  p.reply_markup = one_button();
  auto r = ok(build(ep(), p));
  EXPECT_EQ(r.method, "editMessageText");
  EXPECT_EQ(r.chat_id, 10);
  EXPECT_EQ(r.body,
            R"({"chat_id":10,"message_id":77,"parse_mode":"HTML","reply_markup":)"
            R"({"inline_keyboard":[[{"callback_data":"m:buy","text":"Buy"}]]},"text":"Menu"})");
}

TEST(TelegramBotApi, EditMessageReplyMarkup) {
  edit_message_reply_markup p{.chat_id = 10, .message_id = 77, .reply_markup = one_button()};
  EXPECT_EQ(ok(build(ep(), p)).body,
            R"({"chat_id":10,"message_id":77,"reply_markup":{"inline_keyboard":[[)"
            R"({"callback_data":"m:buy","text":"Buy"}]]}})");
  EXPECT_EQ(ok(build(ep(), edit_message_reply_markup{.chat_id = 10, .message_id = 77})).body,
            R"({"chat_id":10,"message_id":77})");
}

TEST(TelegramBotApi, AnswerCallbackQuery) {
  auto r = ok(build(
      ep(), answer_callback_query{
                .callback_query_id = "4382bfdwdsb323b2d9", .text = "Done", .show_alert = true}));
  EXPECT_EQ(r.method, "answerCallbackQuery");
  EXPECT_FALSE(r.chat_id);  // not a message: the outbox does not meter it
  EXPECT_EQ(r.body,
            R"({"callback_query_id":"4382bfdwdsb323b2d9","show_alert":true,"text":"Done"})");
  EXPECT_EQ(ok(build(ep(), answer_callback_query{.callback_query_id = "q"})).body,
            R"({"callback_query_id":"q"})");
  EXPECT_FALSE(
      build(ep(), answer_callback_query{.callback_query_id = "q", .text = std::string(201, 'a')}));
  EXPECT_FALSE(build(ep(), answer_callback_query{.callback_query_id = ""}));
}

TEST(TelegramBotApi, SendInvoiceInStars) {
  send_invoice p;
  p.chat_id = 5;
  p.title = "VPN: 1 month";
  p.description = "VPN access for 30 days.";
  p.payload = "pay-7f3a";
  p.currency = "XTR";
  p.prices = {{"1 month", 150}};
  p.reply_markup = inline_keyboard{
      {{inline_button::pay("Pay ⭐150")}, {inline_button::callback("Cancel", "pc:7f3a")}}};
  auto r = ok(build(ep(), p));
  EXPECT_EQ(r.method, "sendInvoice");
  EXPECT_EQ(r.chat_id, 5);
  EXPECT_EQ(r.body, R"({"chat_id":5,"currency":"XTR","description":"VPN access for 30 days.",)"
                    R"("payload":"pay-7f3a","prices":[{"amount":150,"label":"1 month"}],)"
                    R"("reply_markup":{"inline_keyboard":[[{"pay":true,"text":"Pay ⭐150"}],)"
                    R"([{"callback_data":"pc:7f3a","text":"Cancel"}]]},"title":"VPN: 1 month"})");
}

TEST(TelegramBotApi, SendInvoiceRules) {
  send_invoice p{.chat_id = 5,
                 .title = "t",
                 .description = "d",
                 .payload = "p",
                 .currency = "XTR",
                 .prices = {{"a", 1}}};
  EXPECT_TRUE(build(ep(), p));
  auto two = p;
  two.prices.push_back({"b", 2});
  EXPECT_FALSE(build(ep(), two));
  auto token = p;
  token.provider_token = "x";
  EXPECT_FALSE(build(ep(), token));
  auto fiat = p;
  fiat.currency = "RUB";
  fiat.provider_token = "381764678:TEST:1";
  fiat.prices.push_back({"fee", 100});
  EXPECT_NE(ok(build(ep(), fiat)).body.find(R"("provider_token":"381764678:TEST:1")"),
            std::string::npos);
  auto long_title = p;
  long_title.title = std::string(33, 't');
  EXPECT_FALSE(build(ep(), long_title));
  auto long_payload = p;
  long_payload.payload = std::string(129, 'p');
  EXPECT_FALSE(build(ep(), long_payload));
  auto zero = p;
  zero.prices = {{"a", 0}};
  EXPECT_FALSE(build(ep(), zero));
  auto not_pay_first = p;
  not_pay_first.reply_markup = one_button();
  EXPECT_FALSE(build(ep(), not_pay_first));
}

TEST(TelegramBotApi, AnswerPreCheckoutQuery) {
  EXPECT_EQ(ok(build(ep(), answer_pre_checkout_query{.pre_checkout_query_id = "pcq1"})).body,
            R"({"ok":true,"pre_checkout_query_id":"pcq1"})");
  EXPECT_EQ(ok(build(ep(), answer_pre_checkout_query{.pre_checkout_query_id = "pcq1",
                                                     .ok = false,
                                                     .error_message = "Plan sold out"}))
                .body,
            R"({"error_message":"Plan sold out","ok":false,"pre_checkout_query_id":"pcq1"})");
  EXPECT_FALSE(
      build(ep(), answer_pre_checkout_query{.pre_checkout_query_id = "pcq1", .ok = false}));
}

TEST(TelegramBotApi, RefundStarPayment) {
  auto r = ok(build(ep(), refund_star_payment{4503599627370496, "stxABC"}));
  EXPECT_EQ(r.method, "refundStarPayment");
  EXPECT_EQ(r.body, R"({"telegram_payment_charge_id":"stxABC","user_id":4503599627370496})");
  EXPECT_FALSE(build(ep(), refund_star_payment{1, ""}));
}

}  // namespace
}  // namespace vpnbot::telegram
