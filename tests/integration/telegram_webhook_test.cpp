// Webhook mode: the secret header decides, bad bodies are 400, an update is
// stored before the 200, duplicates change nothing.

#include <gtest/gtest.h>

#include "support/bot_harness.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

struct TelegramWebhook : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<bot_harness> bot;
  uint16_t port = 0;

  void SetUp() override {
    fresh_database::SetUp();
    emu = std::make_unique<bot_api_emulator>();
    auto s = bot_test_settings(url, *emu);
    s.telegram.mode = "webhook";
    s.telegram.webhook_url = "https://bot.example.com/telegram/webhook";
    s.telegram.webhook_secret = "s3cret-Token_1";
    bot = std::make_unique<bot_harness>(s);
    port = bot->http_port();
    ASSERT_NE(port, 0);
    ASSERT_TRUE(emu->wait_for_calls("setWebhook", 1, 10s));
  }

  void TearDown() override {
    bot.reset();
    emu.reset();
    fresh_database::TearDown();
  }

  // The route appears once the receiver found the server; wait for it.
  int post(const json& update, const std::optional<std::string>& secret) {
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      status = bot_api_emulator::post_to_webhook(port, "/telegram/webhook", update, secret);
      if (status != 404) break;
      std::this_thread::sleep_for(50ms);
    }
    return status;
  }
};

TEST_F(TelegramWebhook, SetsTheWebhookWithItsSecretAtStart) {
  auto call = emu->calls("setWebhook").at(0).params;
  EXPECT_EQ(call["url"], "https://bot.example.com/telegram/webhook");
  EXPECT_EQ(call["secret_token"], "s3cret-Token_1");
}

TEST_F(TelegramWebhook, WrongOrMissingSecretIs401AndChangesNothing) {
  EXPECT_EQ(post(bot_api_emulator::text_update(1, 7, "/start"), std::string("wrong")), 401);
  EXPECT_EQ(post(bot_api_emulator::text_update(2, 7, "/start"), std::nullopt), 401);
  EXPECT_EQ(post(bot_api_emulator::text_update(3, 7, "/start"), std::string("s3cret-Token_")), 401);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(bot->query("SELECT count(*) FROM telegram_updates"), "0");
  EXPECT_EQ(bot->query("SELECT count(*) FROM users"), "0");
  EXPECT_TRUE(emu->calls("sendMessage").empty());
}

TEST_F(TelegramWebhook, MalformedBodyIs400) {
  EXPECT_EQ(post(json{{"message", "no id"}}, std::string("s3cret-Token_1")), 400);
  EXPECT_EQ(post(json::array({1, 2}), std::string("s3cret-Token_1")), 400);
  EXPECT_EQ(bot->query("SELECT count(*) FROM telegram_updates"), "0");
}

TEST_F(TelegramWebhook, StoredUpdateIsAnsweredOnceEvenWhenPostedTwice) {
  auto update = bot_api_emulator::text_update(10, 7, "/start");
  EXPECT_EQ(post(update, std::string("s3cret-Token_1")), 200);
  // Stored before the 200.
  EXPECT_EQ(bot->query("SELECT count(*) FROM telegram_updates WHERE update_id = 10"), "1");
  EXPECT_EQ(post(update, std::string("s3cret-Token_1")), 200);
  ASSERT_TRUE(emu->wait_for_calls("sendMessage", 1, 10s));
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(emu->calls("sendMessage").size(), 1u);
  EXPECT_EQ(emu->calls("sendMessage")[0].params["chat_id"], 7);
}

}  // namespace
}  // namespace vpnbot::testing_support
