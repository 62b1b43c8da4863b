// The real binary killed (SIGKILL) in the middle of a stream of updates and
// started again: no update is lost or handled twice, and every one is
// answered. A reply whose call had left before the kill without its success
// being recorded is sent again, so it may arrive twice: the copies are
// bounded by those calls, counted from the emulator and the database.

#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <pqxx/pqxx>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

constexpr int restart_users = 100;
constexpr int restart_per_user = 4;
constexpr int64_t restart_first_user = 7000;

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

TEST(TelegramRestart, KilledMidStreamLeavesNoUpdateUnansweredAndCopiesOnlyWhatHadLeft) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  bot_api_emulator emu;
  auto url = create_fresh_database("telegram_restart");
  auto env = service_env(url, emu);
  env["VPNBOT_TELEGRAM_GLOBAL_RATE"] = "200";
  // Telegram's own latency, so that several calls are on the wire at the kill.
  emu.delay_next(20ms, restart_users * restart_per_user * 2);
  env["VPNBOT_TELEGRAM_CHAT_RATE"] = "2";
  env["VPNBOT_TELEGRAM_CHAT_BURST"] = "1";
  for (int round = 0; round < restart_per_user; ++round)
    for (int u = 0; u < restart_users; ++u)
      emu.push_text(restart_first_user + u, "msg " + std::to_string(round));

  int before_kill = 0, recorded_at_kill = 0, sending_at_kill = 0;
  {
    service_process first({}, env);
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline &&
           total(replies_by_chat(emu)) < restart_users)
      std::this_thread::sleep_for(5ms);
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
    before_kill = total(replies_by_chat(emu));
    recorded_at_kill = std::stoi(scalar(url,
                                        "SELECT count(*) FROM telegram_outbox"
                                        " WHERE method = 'sendMessage' AND state = 'sent'"));
    sending_at_kill =
        std::stoi(scalar(url, "SELECT count(*) FROM telegram_outbox WHERE state = 'sending'"));
  }
  // Calls Telegram answered whose success the dead process had not recorded.
  auto left_unrecorded = before_kill - recorded_at_kill;
  std::cout << "[ figures ] replies before the kill: " << before_kill << " of "
            << restart_users * restart_per_user << ", recorded as sent: " << recorded_at_kill
            << ", marked sending: " << sending_at_kill << "\n";
  ASSERT_GE(before_kill, restart_users);
  ASSERT_LT(before_kill, restart_users * restart_per_user)
      << "the kill came after the stream ended";

  service_process second({}, env);
  auto deadline = std::chrono::steady_clock::now() + 60s;
  auto done = [&] {
    return scalar(url, "SELECT count(*) FROM telegram_updates WHERE state = 'handled'") ==
               std::to_string(restart_users * restart_per_user) &&
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
            std::to_string(restart_users * restart_per_user));
  // (The command menu each start queues answers no update.)
  EXPECT_EQ(scalar(url,
                   "SELECT count(*) FROM (SELECT update_id FROM telegram_outbox "
                   "WHERE update_id IS NOT NULL GROUP BY update_id HAVING count(*) <> 1) d"),
            "0");
  EXPECT_EQ(scalar(url, "SELECT count(DISTINCT update_id) FROM telegram_outbox"),
            std::to_string(restart_users * restart_per_user));
  // Every reply was sent: none was left in doubt.
  EXPECT_EQ(scalar(url, "SELECT count(*) FROM telegram_outbox WHERE state <> 'sent'"), "0");
  auto replies = replies_by_chat(emu);
  auto copies = total(replies) - restart_users * restart_per_user;
  std::cout << "[ figures ] replies: " << total(replies) << ", second copies: " << copies
            << ", calls that had left unrecorded at the kill: " << left_unrecorded << "\n";
  for (int u = 0; u < restart_users; ++u)
    EXPECT_GE(replies[restart_first_user + u], restart_per_user) << "user " << u;
  EXPECT_GE(copies, 0);
  EXPECT_LE(copies, left_unrecorded);
}

}  // namespace
}  // namespace vpnbot::testing_support
