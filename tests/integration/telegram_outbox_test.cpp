// The outbox against the emulator's failure modes, and the session actors'
// lifecycle (passivation, restart after a crash), through the whole bot.

#include <gtest/gtest.h>

#include <algorithm>
#include <caf/all.hpp>
#include <cmath>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "actors/components.hpp"
#include "adapters/emulators/http_call.hpp"
#include "adapters/metrics/registry.hpp"
#include "messages/type_ids.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
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

// Replies to many chats at once go out at most max_in_flight at a time, so
// they take turns on kept-alive connections instead of each opening one
// (without the cap, the 24 replies opened 25 connections here).
TEST_F(TelegramOutbox, CallsUnderWayStayWithinTheCapAndReuseTheirConnections) {
  // Queued before the bot starts, so that its first poll takes them all.
  emu = std::make_unique<bot_api_emulator>();
  for (int64_t user = 901; user <= 924; ++user) emu->push_text(user, "hi");
  emu->delay_next(100ms, 100);  // the answers overlap
  // Counted from here: the registry is the process's, shared with any test
  // before (a series not made yet reads NaN, that is none).
  auto connections = [](const std::string& reuse) {
    auto n = metrics::global().value("vpnbot_http_client_connections_total",
                                     {{"target", "telegram"}, {"reuse", reuse}});
    return std::isnan(n) ? 0.0 : n;
  };
  auto opened = connections("new"), reused = connections("reused");
  auto s = bot_test_settings(url, *emu);
  s.telegram.max_in_flight = 3;
  s.http_client.pool_size = 4;  // the cap's three and the poller's long poll
  bot = std::make_unique<bot_harness>(s);
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 24; }, 30s));
  // The cap's three, the poll, and the start's calls (getMe, deleteWebhook,
  // setMyCommands) that may run beside them; without the cap: 25.
  EXPECT_LE(connections("new") - opened, 8);
  EXPECT_GE(connections("reused") - reused, 20);
}

// A reply is sent again after a crash whether or not it was marked, so on a
// single node it is not marked 'sending': it goes from queued to sent, and
// its call costs no marking transaction (with the mark, the row below was
// 'sending' for the whole 400 ms its call was on the wire).
TEST_F(TelegramOutbox, AReplyOnASingleNodeGoesFromQueuedToSentWithNoMarkBetween) {
  start();
  // Every call for a while: the start's own calls may take the first ones.
  emu->delay_next(400ms, 20);
  emu->push_text(14, "/start");
  std::set<std::string> seen;
  ASSERT_TRUE(eventually(
      [&] {
        auto state = bot->query(
            "SELECT coalesce(min(state), 'none') FROM telegram_outbox WHERE chat_id = 14");
        seen.insert(state);
        return state == "sent";
      },
      10s));
  EXPECT_TRUE(seen.count("queued")) << "the row was never seen queued";
  EXPECT_FALSE(seen.count("sending")) << "the reply was marked 'sending'";
  EXPECT_EQ(ok_calls("sendMessage"), 1u);
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
    return bot->query(
               "SELECT count(*) FROM telegram_outbox WHERE state = 'sent'"
               " AND update_id IS NOT NULL") == "2";
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
    self->send(bot->wiring().sessions->get(), live_sessions_atom_v);
    self->receive([&](std::size_t x) { n = x; }, caf::after(2s) >> [] {});
    return n;
  };
  EXPECT_TRUE(eventually([&] { return live() == 0; }, 5s));
  // /help moves the session off the main menu, so it is saved on top of the first turn's.
  emu->push_text(14, "/help");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 2; }));
  EXPECT_EQ(bot->query("SELECT version || ' ' || fsm_state FROM sessions"), "2 help");
}

// A session actor killed while its update's transaction runs: the update is
// handled once, answered once, and the crash is counted.
TEST_F(TelegramOutbox, ASessionKilledMidUpdateAnswersItOnce) {
  start();
  emu->push_text(16, "/start");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 1; }));
  bot->query(
      "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN PERFORM pg_sleep(0.5); RETURN NEW; END $$; "
      "CREATE TRIGGER slow_updates BEFORE UPDATE ON telegram_updates "
      "FOR EACH ROW EXECUTE FUNCTION slow(); SELECT 1");
  emu->push_text(16, "/menu");
  ASSERT_TRUE(eventually([&] {
    return bot->query("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == "1";
  }));
  caf::scoped_actor self{bot->system()};
  caf::actor session;
  self->request(bot->wiring().sessions->get(), 5s, session_of_atom_v, int64_t{16})
      .receive([&](caf::actor& a) { session = a; },
               [](caf::error& e) { ADD_FAILURE() << to_string(e); });
  ASSERT_TRUE(session);
  caf::anon_send_exit(session, caf::exit_reason::kill);
  bot->query("DROP TRIGGER slow_updates ON telegram_updates; SELECT 1");
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") == 2; }));
  EXPECT_TRUE(eventually(
      [&] { return metrics::global().value("vpnbot_telegram_session_crashes_total", {}) == 1; }));
  std::this_thread::sleep_for(300ms);  // a second answer would show up now
  EXPECT_EQ(ok_calls("sendMessage"), 2u);
  EXPECT_EQ(bot->query("SELECT count(*) FROM telegram_updates WHERE state = 'handled'"), "2");
  EXPECT_EQ(bot->query("SELECT count(DISTINCT update_id) FROM telegram_outbox WHERE method = "
                       "'sendMessage'"),
            "2");
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

// Rows a crash left 'sending': a key (transactional lane), a menu reply
// (interactive) and an edit go out again, a reminder and an invoice stay in
// doubt, a queued row goes out.
TEST_F(TelegramOutbox, CallsCaughtByACrashAreSentAgainOnlyWhenThatIsHarmless) {
  migrate_schema();
  {
    pqxx::connection conn(url);
    pqxx::work tx(conn);
    auto row = [&](int64_t chat, int lane, const std::string& method, const std::string& body,
                   const std::string& state) {
      tx.exec_params(
          "INSERT INTO telegram_outbox (chat_id, lane, method, content_type, body, state)"
          " VALUES ($1, $2, $3, 'application/json', convert_to($4, 'UTF8'), $5)",
          chat, lane, method, body, state);
    };
    row(21, 1, "sendMessage", R"({"chat_id":21,"text":"menu reply"})", "sending");
    row(26, 2, "sendMessage", R"({"chat_id":26,"text":"renew soon"})", "sending");
    row(22, 0, "sendMessage", R"({"chat_id":22,"text":"your key"})", "sending");
    row(23, 1, "editMessageText", R"({"chat_id":23,"message_id":5,"text":"menu"})", "sending");
    row(24, 0, "sendInvoice", R"({"chat_id":24,"title":"30 days"})", "sending");
    row(25, 1, "sendMessage", R"({"chat_id":25,"text":"was waiting"})", "queued");
    tx.commit();
  }
  start();
  ASSERT_TRUE(eventually([&] {
    return bot->query(
               "SELECT count(*) FROM telegram_outbox WHERE state IN ('queued', 'sending')") == "0";
  }));
  std::vector<std::string> texts;
  for (const auto& c : emu->calls("sendMessage")) texts.push_back(c.params["text"]);
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"menu reply", "was waiting", "your key"}));
  EXPECT_EQ(emu->calls("editMessageText").size(), 1u);
  EXPECT_EQ(emu->calls("sendInvoice").size(), 0u);
  EXPECT_EQ(bot->query("SELECT string_agg(chat_id::text, ',' ORDER BY chat_id) FROM "
                       "telegram_outbox WHERE state = 'in_doubt'"),
            "24,26");
  EXPECT_EQ(metrics::global().value("vpnbot_telegram_resent_after_crash_total", {}), 3);
  EXPECT_EQ(metrics::global().value("vpnbot_telegram_in_doubt_total", {}), 2);
}

// Rows a turn wrote are handed to the outbox whole after the commit. A
// sweep may have found such a row first, sent it and recorded it: handed
// over after that, it is not sent a second time. Here the start's scan plays
// the sweep.
TEST_F(TelegramOutbox, ARowHandedOverAfterAScanSentItIsNotSentAgain) {
  migrate_schema();
  auto queue = [&](const std::string& text) {
    pqxx::connection conn(url);
    pqxx::work tx(conn);
    db::outgoing_call row;
    row.chat_id = 31;
    row.method = "sendMessage";
    row.content_type = "application/json";
    row.body = R"({"chat_id":31,"text":")" + text + R"("})";
    row.id = tx.exec_params1(
                   "INSERT INTO telegram_outbox (chat_id, lane, method, content_type,"
                   " body) VALUES (31, 1, 'sendMessage', 'application/json',"
                   " convert_to($1, 'UTF8')) RETURNING id",
                   row.body)[0]
                 .as<int64_t>();
    tx.commit();
    return row;
  };
  auto early = queue("found by the scan");
  start();
  ASSERT_TRUE(eventually([&] {
    return bot->query("SELECT state FROM telegram_outbox WHERE id = " + std::to_string(early.id)) ==
           "sent";
  }));
  // The outbox learns of the record just after its commit.
  std::this_thread::sleep_for(300ms);
  auto outbox = bot->wiring().outbox->get();
  ASSERT_TRUE(outbox);
  caf::anon_send(outbox, outbox_rows_atom_v, std::vector<db::outgoing_call>{early});
  // The chat's calls go one at a time in order: once the marker is sent, a
  // second copy of the early row would have gone before it.
  auto marker = queue("marker");
  caf::anon_send(outbox, outbox_rows_atom_v, std::vector<db::outgoing_call>{marker});
  ASSERT_TRUE(eventually([&] { return ok_calls("sendMessage") >= 2; }));
  std::vector<std::string> texts;
  for (const auto& c : emu->calls("sendMessage")) texts.push_back(c.params["text"]);
  EXPECT_EQ(texts, (std::vector<std::string>{"found by the scan", "marker"}));
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
