// The Bot API emulator itself: it must answer like Telegram (envelope,
// HTTP status = error_code) or the tests built on it prove nothing.

#include <gtest/gtest.h>

#include <thread>

#include "adapters/emulators/fake_http_server.hpp"
#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

struct TelegramEmulator : ::testing::Test {
  bot_api_emulator tg;
  http_result call(const std::string& method, const json& params = json::object(),
                   const std::string& token = {}) {
    return http_call(tg.port(), "POST",
                     "/bot" + (token.empty() ? tg.token() : token) + "/" + method, params.dump(),
                     {{"Content-Type", "application/json"}});
  }
  static json body(const http_result& r) { return json::parse(r.body); }
};

TEST_F(TelegramEmulator, AnswersGetMeAndRejectsABadTokenAndUnknownMethods) {
  auto me = call("getMe");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(body(me)["result"]["username"], "vpnbot_test_bot");
  auto bad = call("getMe", json::object(), "1:wrong");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(body(bad)["error_code"], 401);
  EXPECT_EQ(body(bad)["description"], "Unauthorized: invalid token specified");
  EXPECT_EQ(call("frobnicate").status, 404);
}

TEST_F(TelegramEmulator, RecordsSendsFromJsonAndFormBodies) {
  auto first = call("sendMessage", {{"chat_id", 42}, {"text", "hello"}});
  EXPECT_EQ(body(first)["result"]["message_id"], 1);
  auto form =
      http_call(tg.port(), "POST", "/bot" + tg.token() + "/sendMessage",
                "chat_id=42&text=hi+there&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D",
                {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(body(form)["result"]["message_id"], 2);
  auto sends = tg.calls("sendMessage");
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].params["text"], "hello");
  EXPECT_EQ(sends[1].params["text"], "hi there");
  EXPECT_EQ(sends[1].params["reply_markup"], "{\"inline_keyboard\":[]}");
}

TEST_F(TelegramEmulator, RecordsMultipartPhotoUploads) {
  std::string boundary = "XyZ";
  std::string payload =
      "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n7\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"qr.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG12345\r\n--XyZ--\r\n";
  auto r = http_call(tg.port(), "POST", "/bot" + tg.token() + "/sendPhoto", payload,
                     {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  EXPECT_EQ(r.status, 200);
  auto photo = tg.calls("sendPhoto").at(0).params;
  EXPECT_EQ(photo["chat_id"], "7");
  EXPECT_EQ(photo["photo"]["filename"], "qr.png");
  EXPECT_EQ(photo["photo"]["size"], 9);
}

TEST_F(TelegramEmulator, GetUpdatesConfirmsByOffsetAndLongPolls) {
  auto a = tg.push_text(1, "/start");
  auto b = tg.push_text(2, "/start ref_abc");
  auto first = body(call("getUpdates", {{"timeout", 0}}))["result"];
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0]["update_id"], a);
  EXPECT_EQ(first[1]["message"]["text"], "/start ref_abc");
  // Offset past b confirms both; a long poll then waits for the next one.
  std::thread later([&] {
    std::this_thread::sleep_for(200ms);
    tg.push_callback(1, 5, "m:buy");
  });
  auto polled = body(call("getUpdates", {{"offset", b + 1}, {"timeout", 10}}))["result"];
  later.join();
  ASSERT_EQ(polled.size(), 1u);
  EXPECT_EQ(polled[0]["callback_query"]["data"], "m:buy");
  auto empty =
      call("getUpdates", {{"offset", polled[0]["update_id"].get<int64_t>() + 1}, {"timeout", 1}});
  EXPECT_TRUE(body(empty)["result"].empty()) << "a long poll with nothing new times out empty";
}

TEST_F(TelegramEmulator, ANamedUsersUpdatesCarryTheirNameUsernameAndLanguage) {
  tg.name_user(7, "Борис", "boris", "ru");
  tg.push_text(7, "/start");
  tg.push_callback(7, 5, "m:buy");
  tg.push_text(8, "/start", "en");
  auto got = body(call("getUpdates", {{"timeout", 0}}))["result"];
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0]["message"]["from"]["first_name"], "Борис");
  EXPECT_EQ(got[0]["message"]["from"]["username"], "boris");
  EXPECT_EQ(got[0]["message"]["from"]["language_code"], "ru");
  EXPECT_EQ(got[1]["callback_query"]["from"]["username"], "boris");
  EXPECT_EQ(got[2]["message"]["from"]["first_name"], "User 8");
  EXPECT_FALSE(got[2]["message"]["from"].contains("username"));
}

TEST_F(TelegramEmulator, AnActiveWebhookMakesGetUpdatesConflict) {
  call("setWebhook", {{"url", "https://example.invalid/hook"}, {"secret_token", "s3cret"}});
  auto r = call("getUpdates");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(body(r)["description"].get<std::string>().find("webhook is active"), std::string::npos);
  call("deleteWebhook");
  EXPECT_EQ(call("getUpdates").status, 200);
}

TEST_F(TelegramEmulator, ASecondPollerTerminatesTheFirstWith409) {
  http_result first;
  std::thread poller([&] { first = call("getUpdates", {{"timeout", 10}}); });
  ASSERT_TRUE(tg.wait_for_calls("getUpdates", 1, 5s));
  auto second = call("getUpdates", {{"timeout", 0}});
  poller.join();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(first.status, 409);
  EXPECT_NE(body(first)["description"].get<std::string>().find("terminated by other getUpdates"),
            std::string::npos);
}

TEST_F(TelegramEmulator, InjectsFloodControlBlockedUsersAndServerErrors) {
  tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", 3);
  auto flood = call("sendMessage", {{"chat_id", 1}, {"text", "x"}});
  EXPECT_EQ(flood.status, 429);
  EXPECT_EQ(body(flood)["parameters"]["retry_after"], 3);
  EXPECT_EQ(call("sendMessage", {{"chat_id", 1}, {"text", "x"}}).status, 200);
  tg.block_chat(9);
  auto blocked = call("sendMessage", {{"chat_id", 9}, {"text", "x"}});
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(body(blocked)["description"], "Forbidden: bot was blocked by the user");
  tg.fail_next("", 502, "Bad Gateway", std::nullopt, 2);
  EXPECT_EQ(call("getMe").status, 502);
  EXPECT_EQ(call("getMe").status, 502);
  EXPECT_EQ(call("getMe").status, 200);
}

TEST_F(TelegramEmulator, EditWithTheSameContentIsNotModified) {
  auto id = body(call("sendMessage", {{"chat_id", 5}, {"text", "menu"}}))["result"]["message_id"];
  auto same = call("editMessageText", {{"chat_id", 5}, {"message_id", id}, {"text", "menu"}});
  EXPECT_EQ(same.status, 400);
  EXPECT_NE(body(same)["description"].get<std::string>().find("message is not modified"),
            std::string::npos);
  EXPECT_EQ(call("editMessageText", {{"chat_id", 5}, {"message_id", id}, {"text", "plans"}}).status,
            200);
  EXPECT_EQ(call("editMessageText", {{"chat_id", 5}, {"message_id", 999}, {"text", "x"}}).status,
            400);
}

TEST(TelegramEmulatorWebhook, PostsUpdatesWithAndWithoutTheSecretHeader) {
  fake_http_server hook{[](const http_request& r) {
    const auto* secret = r.header("x-telegram-bot-api-secret-token");
    return http_response{secret && *secret == "s3cret" ? 200 : 401, "application/json", {}, "{}"};
  }};
  json update{{"update_id", 1}, {"message", {{"text", "/start"}}}};
  EXPECT_EQ(bot_api_emulator::post_to_webhook(hook.port(), "/telegram/webhook", update, "s3cret"),
            200);
  EXPECT_EQ(bot_api_emulator::post_to_webhook(hook.port(), "/telegram/webhook", update, "wrong"),
            401);
  EXPECT_EQ(
      bot_api_emulator::post_to_webhook(hook.port(), "/telegram/webhook", update, std::nullopt),
      401);
  auto seen = hook.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(json::parse(seen[0].body)["message"]["text"], "/start");
  EXPECT_EQ(*seen[0].header("content-type"), "application/json");
}

}  // namespace
}  // namespace vpnbot::testing_support
