// The outbox against the emulator's failure modes, and the session actors'
// lifecycle (passivation, restart after a crash), through the whole bot.

#include <gtest/gtest.h>

#include <caf/all.hpp>

#include "actors/registered_name.hpp"
#include "messages/type_ids.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"
#include "support/http_call.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;

struct TelegramOutbox : fresh_database {
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

  std::size_t ok_calls(const std::string& method) {
    std::size_t n = 0;
    for (const auto& c : emu->calls(method)) n += c.status == 200;
    return n;
  }
};

TEST_F(TelegramOutbox, ServerErrorsAreRetriedUntilDelivered) {
  start();
  emu->fail_next("sendMessage", 502, "Bad Gateway", std::nullopt, 2);
  emu->push_text(10, "/start");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 1; }));
  EXPECT_EQ(emu->calls("sendMessage").size(), 3u);
  EXPECT_TRUE(eventually([&] {
    return bot->query("SELECT state FROM telegram_outbox WHERE method = 'sendMessage'") == "sent";
  }));
}

TEST_F(TelegramOutbox, TooManyRequestsHoldsTheChatForRetryAfter) {
  start();
  emu->fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1, 1);
  emu->push_text(11, "/start");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 1; }));
  auto calls = emu->calls("sendMessage");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].status, 429);
  EXPECT_GE(calls[1].at - calls[0].at, 1s);
}

TEST_F(TelegramOutbox, BlockedUserIsMarkedAndTheReplyDropped) {
  start();
  emu->push_text(12, "/start");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 1; }));
  emu->block_chat(12);
  emu->push_text(12, "hello again");
  ASSERT_TRUE(eventually(
      [&] { return bot->query("SELECT blocked_bot FROM users WHERE telegram_id = 12") == "t"; }));
  EXPECT_EQ(emu->calls("sendMessage").size(), 2u);  // one 403, never retried
  EXPECT_EQ(bot->query("SELECT count(*) FROM telegram_outbox WHERE state = 'failed'"), "1");
}

TEST_F(TelegramOutbox, MessageNotModifiedCountsAsDone) {
  start();
  emu->fail_next("editMessageText", 400, "Bad Request: message is not modified", std::nullopt, 1);
  emu->push_callback(13, 5, "m:main");
  ASSERT_TRUE(eventually([&] {
    return bot->query("SELECT count(*) FROM telegram_outbox WHERE state = 'sent'") == "2";
  }));
  EXPECT_EQ(emu->calls("editMessageText").size(), 1u);
}

TEST_F(TelegramOutbox, IdleSessionsArePassivatedAndComeBackOnDemand) {
  start([](config::settings& s) { s.telegram.session_idle_timeout = 200ms; });
  emu->push_text(14, "/start");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 1; }));
  auto live = [&] {
    caf::scoped_actor self{bot->system()};
    std::size_t n = 999;
    self->send(find_registered(bot->system(), caf::atom("vpnbotsess")), live_sessions_atom_v);
    self->receive([&](std::size_t x) { n = x; }, caf::after(2s) >> [] {});
    return n;
  };
  EXPECT_TRUE(eventually([&] { return live() == 0; }, 5s));
  emu->push_text(14, "/menu");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 2; }));
  EXPECT_EQ(bot->query("SELECT version FROM sessions"), "2");
}

TEST_F(TelegramOutbox, PoisonUpdateIsGivenUpWithOneApology) {
  start();
  // Every attempt at this update fails inside its transaction (a trigger
  // refuses the activation job), as a bug in the handling code would.
  bot->query(
      "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$; "
      "CREATE TRIGGER refuse_jobs BEFORE INSERT ON jobs "
      "FOR EACH ROW EXECUTE FUNCTION refuse(); SELECT 1");
  emu->push_callback(15, 5, "m:trial");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 1; }, 20s));
  EXPECT_EQ(emu->calls("sendMessage")[0].params["text"],
            "Something went wrong on our side. Please try again in a minute.");
  EXPECT_TRUE(emu->wait_for_calls("answerCallbackQuery", 1, 5s));
  EXPECT_EQ(bot->query("SELECT left(note, 7) FROM telegram_updates"), "failed:");
  EXPECT_EQ(bot->query("SELECT count(*) FROM subscriptions"), "0");
  // The user is not stuck: the next update is handled normally.
  emu->push_text(15, "/menu");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 2; }));
}

TEST_F(TelegramOutbox, PollingAgainstAnActiveWebhookIsReportedNotRetriedHot) {
  emu = std::make_unique<bot_api_emulator>();
  auto set = http_call(emu->port(), "POST", "/bot" + emu->token() + "/setWebhook",
                       R"({"url":"https://elsewhere.example/hook"})",
                       {{"Content-Type", "application/json"}});
  ASSERT_EQ(set.status, 200);
  auto s = bot_test_settings(url, *emu);
  s.telegram.conflict_backoff = 500ms;
  bot = std::make_unique<bot_harness>(s);
  std::this_thread::sleep_for(2200ms);
  auto polls = emu->calls("getUpdates");
  ASSERT_FALSE(polls.empty());
  for (const auto& p : polls) EXPECT_EQ(p.status, 409);
  // One poll per conflict_backoff, not a hot loop.
  EXPECT_LE(polls.size(), 6u);
}

}  // namespace
}  // namespace vpnbot::testing_support
