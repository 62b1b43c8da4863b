// Full conversations through the Bot API emulator with the whole service in
// process and a real PostgreSQL: each test asserts the exact Telegram calls
// the bot made and what changed in the database.

#include <gtest/gtest.h>

#include "support/bot_harness.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t alice = 1001;
constexpr int64_t bob = 1002;

struct TelegramConversation : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<bot_harness> bot;

  void start(const std::function<void(config::settings&)>& tweak = {}) {
    emu = std::make_unique<bot_api_emulator>();
    auto s = bot_test_settings(url, *emu);
    if (tweak) tweak(s);
    bot = std::make_unique<bot_harness>(s);
  }

  void TearDown() override {
    bot.reset();
    emu.reset();
    fresh_database::TearDown();
  }

  // The n-th (1-based) call of a method, once it has arrived.
  json nth(const std::string& method, std::size_t n) {
    EXPECT_TRUE(emu->wait_for_calls(method, n, 10s)) << "no call " << n << " of " << method;
    auto calls = emu->calls(method);
    return calls.size() >= n ? calls[n - 1].params : json::object();
  }

  // Presses a button of a message the bot sent or edited.
  void press(int64_t user, const json& message_params, const std::string& label,
             int64_t message_id = 77) {
    auto data = callback_of(message_params, label);
    ASSERT_FALSE(data.empty()) << "no button \"" << label << "\" in " << buttons_of(message_params);
    emu->push_callback(user, message_id, data);
  }

  std::size_t count(const std::string& method) { return emu->calls(method).size(); }
};

TEST_F(TelegramConversation, StartGreetsAndShowsTheMainMenu) {
  start();
  emu->push_text(alice, "/start");
  auto reply = nth("sendMessage", 1);
  EXPECT_EQ(reply["chat_id"], alice);
  EXPECT_NE(reply["text"].get<std::string>().find("Hi, "), std::string::npos);
  EXPECT_EQ(reply["parse_mode"], "HTML");
  EXPECT_EQ(buttons_of(reply),
            "🎁 Free trial|💳 Buy/🔑 My subscriptions/👥 Invite friends|💰 Balance/"
            "❓ Help|🌐 Language");
  EXPECT_EQ(bot->query("SELECT count(*) FROM users WHERE telegram_id = 1001"), "1");
  EXPECT_EQ(bot->query("SELECT state FROM telegram_updates"), "handled");
}

}  // namespace
}  // namespace vpnbot::testing_support
