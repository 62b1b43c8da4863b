// Broadcasts through the real binary and the Bot API emulator: every
// recipient gets the message once through the outbox's broadcast lane,
// within Telegram's rate; 403, 400 and 429 end as they should; a kill -9 in
// the middle loses nobody's place and sends nobody a second copy.

#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/db/migrations.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "domain/broadcasts/broadcast_control.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using broadcasts::run_state;

constexpr int64_t first_chat = 9000;

struct delivery {
  std::map<int64_t, int> delivered;                       // chat → sendMessage answered 200
  int flooded = 0;                                        // answered 429
  std::vector<std::chrono::steady_clock::time_point> at;  // of the delivered ones
};

delivery seen(const bot_api_emulator& emu) {
  delivery d;
  for (const auto& c : emu.calls("sendMessage")) {
    if (c.status == 429) ++d.flooded;
    if (c.status != 200) continue;
    ++d.delivered[c.params["chat_id"].get<int64_t>()];
    d.at.push_back(c.at);
  }
  return d;
}

// The most messages that arrived within any one second.
int busiest_second(const std::vector<std::chrono::steady_clock::time_point>& at) {
  int most = 0;
  for (std::size_t i = 0, j = 0; i < at.size(); ++i) {
    while (at[j] + 1s <= at[i]) ++j;
    most = std::max(most, static_cast<int>(i - j + 1));
  }
  return most;
}

double per_second(const std::vector<std::chrono::steady_clock::time_point>& at) {
  if (at.size() < 2) return 0;
  return static_cast<double>(at.size() - 1) /
         std::chrono::duration<double>(at.back() - at.front()).count();
}

class BroadcastDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
    url = create_fresh_database("broadcast_delivery");
    // The schema first, so the users exist before the service starts.
    auto migrated = db::migrate(url);
    ASSERT_TRUE(migrated) << caf::to_string(migrated.error());
    env = service_env(url, emu);
  }

  void start() {
    // The schema is there (SetUp): whatever is created is found once it runs.
    service = std::make_unique<service_process>(std::vector<std::string>{}, env);
  }

  void users(int count) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO users (telegram_id, referral_code)"
        " SELECT g, 'ref' || g FROM generate_series($1::bigint, $2::bigint) g",
        first_chat, first_chat + count - 1);
    tx.commit();
  }

  int64_t create(broadcasts::broadcast_spec spec) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = broadcasts::create(tx, spec);
    EXPECT_TRUE(r);
    tx.commit();
    return r ? r->id : 0;
  }

  broadcasts::progress progress(int64_t id) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = broadcasts::progress_of(tx, id);
    EXPECT_TRUE(r);
    return r ? *r : broadcasts::progress{};
  }

  bool wait_done(int64_t id, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (progress(id).state == run_state::done) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::string scalar(const std::string& sql) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  bot_api_emulator emu;
  std::string url;
  std::map<std::string, std::string> env;
  std::unique_ptr<service_process> service;
};

TEST_F(BroadcastDelivery, ThreeHundredRecipientsGetItOnceAtTheGlobalRate) {
  constexpr int recipients = 300;
  users(recipients);
  start();
  auto id = create({.text = "<b>News</b>: a new location"});
  ASSERT_TRUE(wait_done(id, 120s)) << "sent " << progress(id).sent;

  auto d = seen(emu);
  std::cout << "[ figures ] " << recipients
            << " recipients at telegram.global_rate 30: " << per_second(d.at)
            << " msg/s, busiest second " << busiest_second(d.at) << " messages, 429s " << d.flooded
            << "\n";
  EXPECT_EQ(d.delivered.size(), static_cast<std::size_t>(recipients));
  for (int i = 0; i < recipients; ++i) EXPECT_EQ(d.delivered[first_chat + i], 1) << "chat " << i;
  EXPECT_EQ(d.flooded, 0);
  // Metered by the global bucket (30/s, a burst of 3), not sent unmetered;
  // the margin is for loopback jitter.
  EXPECT_LE(busiest_second(d.at), 40);
  auto p = progress(id);
  EXPECT_EQ(p.total, recipients);
  EXPECT_EQ(p.sent, recipients);
  EXPECT_EQ(p.left, 0);
  for (const auto& c : emu.calls("sendMessage")) {
    EXPECT_EQ(c.params.value("parse_mode", ""), "HTML");
    EXPECT_FALSE(c.params.contains("allow_paid_broadcast"));
  }
}

TEST_F(BroadcastDelivery, BlockedCountsAndMarksTheUserChatNotFoundFailsA429IsHeldThenSent) {
  constexpr int recipients = 20;
  users(recipients);
  const int64_t blocked = first_chat + 10;
  emu.block_chat(blocked);
  // The first message gets 400 chat not found, the second a 429.
  emu.fail_next("sendMessage", 400, "Bad Request: chat not found");
  emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1);
  start();
  auto id = create({.text = "hello"});
  ASSERT_TRUE(wait_done(id, 60s));

  std::map<int64_t, std::vector<int>> statuses;
  for (const auto& c : emu.calls("sendMessage"))
    statuses[c.params["chat_id"].get<int64_t>()].push_back(c.status);
  int not_found = 0, held = 0;
  for (const auto& [chat, s] : statuses) {
    if (s == std::vector<int>{400}) ++not_found;
    if (s == std::vector<int>{429, 200}) ++held;
  }
  EXPECT_EQ(not_found, 1);
  EXPECT_EQ(held, 1) << "the flooded message is sent once its hold is over";
  EXPECT_EQ(statuses[blocked], std::vector<int>{403});

  auto p = progress(id);
  EXPECT_EQ(p.sent, recipients - 2);
  EXPECT_EQ(p.failed, 1);
  EXPECT_EQ(p.blocked, 1);
  EXPECT_EQ(p.left, 0);
  EXPECT_EQ(scalar("SELECT blocked_bot FROM users WHERE telegram_id = " + std::to_string(blocked)),
            "t");
  // A user who blocked the bot is not a recipient of the next broadcast.
  EXPECT_EQ(progress(create({.text = "again"})).total, recipients - 1);
}

TEST_F(BroadcastDelivery, KilledMidwayGoesOnWhereItStoppedAndSendsNobodyTwice) {
  constexpr int recipients = 300;
  users(recipients);
  // Telegram's own latency, so that calls are on the wire at the kill.
  emu.delay_next(20ms, recipients * 2);
  start();
  auto id = create({.text = "maintenance tonight"});
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline &&
         seen(emu).delivered.size() < static_cast<std::size_t>(recipients / 3))
    std::this_thread::sleep_for(5ms);
  service->signal(SIGKILL);
  ASSERT_EQ(service->wait_exit(10s), 128 + SIGKILL);
  auto before = seen(emu).delivered.size();
  auto sending = scalar("SELECT count(*) FROM telegram_outbox WHERE state = 'sending'");
  std::cout << "[ figures ] delivered before the kill: " << before << " of " << recipients
            << ", marked sending at the kill: " << sending << "\n";
  ASSERT_LT(before, static_cast<std::size_t>(recipients)) << "the kill came after the end";

  start();
  ASSERT_TRUE(wait_done(id, 120s)) << "left " << progress(id).left;
  auto d = seen(emu);
  auto p = progress(id);
  std::cout << "[ figures ] after the restart: delivered " << d.delivered.size()
            << ", recorded sent " << p.sent << ", in doubt " << p.in_doubt << "\n";
  // Nobody twice: a call caught by the kill is in doubt, never sent again.
  for (const auto& [chat, n] : d.delivered) EXPECT_EQ(n, 1) << "chat " << chat;
  // Everybody else got it: only the calls in doubt may be missing.
  EXPECT_EQ(p.sent + p.in_doubt, recipients);
  EXPECT_LE(p.in_doubt, std::stoi(sending));
  EXPECT_GE(d.delivered.size(), static_cast<std::size_t>(p.sent));
  EXPECT_EQ(scalar("SELECT count(*) FROM broadcast_recipients r"
                   " WHERE r.state = 'sent' AND r.broadcast_id = " +
                   std::to_string(id)),
            std::to_string(p.sent));
}

TEST_F(BroadcastDelivery, PausedSendsNoMoreThanItsWindowResumedEndsCancelledStops) {
  constexpr int recipients = 300;
  users(recipients);
  start();
  auto id = create({.text = "pause me"});
  auto wait_sent = [&](int64_t n) {
    auto until = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < until && progress(id).sent < n)
      std::this_thread::sleep_for(20ms);
    return progress(id).sent >= n;
  };
  ASSERT_TRUE(wait_sent(10));
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_TRUE(broadcasts::pause(tx, id));
    tx.commit();
  }
  // What was handed to the outbox (one window, 100) still goes out; then
  // nothing more while paused.
  auto settled = [&] {
    auto before = progress(id);
    std::this_thread::sleep_for(1s);
    auto after = progress(id);
    return before.sent == after.sent;
  };
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline && !settled()) {
  }
  auto paused = progress(id);
  EXPECT_EQ(paused.state, run_state::paused);
  EXPECT_LT(paused.sent, recipients);
  EXPECT_EQ(scalar("SELECT count(*) FROM broadcast_recipients WHERE state = 'queued'"), "0");

  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_TRUE(broadcasts::resume(tx, id));
    tx.commit();
  }
  ASSERT_TRUE(wait_sent(paused.sent + 20));
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto cancelled = broadcasts::cancel(tx, id);
    ASSERT_TRUE(cancelled);
    tx.commit();
    EXPECT_GT(cancelled->cancelled, 0);
  }
  // The window already handed over drains; nothing else is sent.
  deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline &&
         scalar("SELECT count(*) FROM broadcast_recipients WHERE state = 'queued'") != "0")
    std::this_thread::sleep_for(100ms);
  std::this_thread::sleep_for(1s);
  auto p = progress(id);
  EXPECT_EQ(p.state, run_state::cancelled);
  EXPECT_EQ(p.sent + p.cancelled, recipients);
  EXPECT_EQ(seen(emu).delivered.size(), static_cast<std::size_t>(p.sent));
}

TEST_F(BroadcastDelivery, PaidBroadcastCarriesAllowPaidBroadcastToEachRecipientOnce) {
  constexpr int recipients = 300;
  users(recipients);
  start();
  auto id = create({.text = "paid news", .paid = true});
  ASSERT_TRUE(wait_done(id, 120s));
  auto d = seen(emu);
  std::cout << "[ figures ] paid broadcast of " << recipients << ": " << per_second(d.at)
            << " msg/s, 429s " << d.flooded << "\n";
  EXPECT_EQ(d.delivered.size(), static_cast<std::size_t>(recipients));
  for (const auto& [chat, n] : d.delivered) EXPECT_EQ(n, 1) << "chat " << chat;
  for (const auto& c : emu.calls("sendMessage"))
    EXPECT_EQ(c.params.value("allow_paid_broadcast", false), true);
  EXPECT_EQ(d.flooded, 0);
  EXPECT_EQ(progress(id).sent, recipients);
}

}  // namespace
}  // namespace vpnbot::testing_support
