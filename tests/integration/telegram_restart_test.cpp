// The real binary killed (SIGKILL) in the middle of a stream of updates and
// started again: no update is lost, none is answered twice. A reply whose
// HTTP call was in flight at the kill is "in doubt": it is not sent again,
// so it may be missing, and the database says how many there were.

#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <pqxx/pqxx>

#include "fakes/telegram/bot_api_emulator.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;

constexpr int users = 50;
constexpr int per_user = 4;
constexpr int64_t first_user = 7000;

std::map<int64_t, int> replies_by_chat(const bot_api_emulator& emu) {
  std::map<int64_t, int> out;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200) ++out[c.params["chat_id"].get<int64_t>()];
  return out;
}

int total(const std::map<int64_t, int>& m) {
  int n = 0;
  for (const auto& [chat, count] : m) n += count;
  return n;
}

std::string scalar(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  return tx.exec(sql)[0][0].as<std::string>();
}

TEST(TelegramRestart, KilledMidStreamLosesNoUpdateAndAnswersNoneTwice) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  bot_api_emulator emu;
  auto url = create_fresh_database("telegram_restart");
  auto env = service_env(url, emu);
  env["VPNBOT_TELEGRAM_GLOBAL_RATE"] = "100";
  env["VPNBOT_TELEGRAM_CHAT_RATE"] = "2";
  env["VPNBOT_TELEGRAM_CHAT_BURST"] = "1";
  for (int round = 0; round < per_user; ++round)
    for (int u = 0; u < users; ++u) emu.push_text(first_user + u, "msg " + std::to_string(round));

  int before_kill = 0;
  {
    service_process first({}, env);
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline && total(replies_by_chat(emu)) < 50)
      std::this_thread::sleep_for(5ms);
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
    before_kill = total(replies_by_chat(emu));
  }
  std::cout << "[ figures ] replies before the kill: " << before_kill << " of " << users * per_user
            << "\n";
  ASSERT_GE(before_kill, 50);
  ASSERT_LT(before_kill, users * per_user) << "the kill came after the stream ended";

  service_process second({}, env);
  auto deadline = std::chrono::steady_clock::now() + 60s;
  auto done = [&] {
    return scalar(url, "SELECT count(*) FROM telegram_updates WHERE state = 'handled'") ==
               std::to_string(users * per_user) &&
           scalar(url,
                  "SELECT count(*) FROM telegram_outbox WHERE state IN ('queued', 'sending')") ==
               "0";
  };
  while (std::chrono::steady_clock::now() < deadline && !done()) std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(500ms);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait_exit(30s), 0);

  // Every update was handled exactly once, with exactly one reply stored.
  EXPECT_EQ(scalar(url, "SELECT count(*) FROM telegram_updates WHERE state = 'handled'"),
            std::to_string(users * per_user));
  EXPECT_EQ(scalar(url,
                   "SELECT count(*) FROM (SELECT update_id FROM telegram_outbox "
                   "GROUP BY update_id HAVING count(*) <> 1) d"),
            "0");
  EXPECT_EQ(scalar(url, "SELECT count(DISTINCT update_id) FROM telegram_outbox"),
            std::to_string(users * per_user));
  auto in_doubt =
      std::stoi(scalar(url, "SELECT count(*) FROM telegram_outbox WHERE state = 'in_doubt'"));
  auto replies = replies_by_chat(emu);
  std::cout << "[ figures ] replies: " << total(replies)
            << ", in doubt after the kill: " << in_doubt << "\n";
  for (int u = 0; u < users; ++u) EXPECT_LE(replies[first_user + u], per_user) << "user " << u;
  EXPECT_GE(total(replies), users * per_user - in_doubt);
}

}  // namespace
}  // namespace vpnbot::testing_support
