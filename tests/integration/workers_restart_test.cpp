// The real binary killed (SIGKILL) while the reminders worker's iteration
// is inside its transaction, then started again: the reminder due is sent
// exactly once. The kill lands while a trigger holds the iteration's INSERT
// into notifications, so the transaction never commits.

#include <gtest/gtest.h>
#include <signal.h>

#include <pqxx/pqxx>
#include <thread>

#include "adapters/db/plans_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "app/plan_seeding.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"
#include "support/service_process.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

struct WorkersRestart : fresh_database {};

std::size_t reminders(const bot_api_emulator& emu) {
  std::size_t n = 0;
  for (const auto& c : emu.calls("sendMessage"))
    n += c.status == 200 &&
         c.params["text"].get<std::string>().find("Extend it now") != std::string::npos;
  return n;
}

TEST_F(WorkersRestart, KilledInsideAReminderIterationTheReminderIsSentOnce) {
  migrate_schema();
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    auto user = db::upsert_user_on_start(tx, 8101, "kill", "Kill", "en").user;
    ASSERT_TRUE(subscriptions::provision(tx, user.id, *db::find_plan(tx, "m1"), "paid", "k-1"));
    // Two days left: the three-day reminder is due now.
    tx.exec("UPDATE subscriptions SET expires_at = now() + interval '2 days'");
    tx.commit();
  }
  query(
      "CREATE FUNCTION slow_notice() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$; "
      "CREATE TRIGGER slow_notice BEFORE INSERT ON notifications "
      "FOR EACH ROW EXECUTE FUNCTION slow_notice(); SELECT 1");
  bot_api_emulator emu;
  auto env = service_env(url, emu);
  env["VPNBOT_WORKERS_INTERVAL"] = "50ms";
  {
    service_process first({}, env);
    ASSERT_TRUE(eventually(
        [&] {
          return query(
                     "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND "
                     "query LIKE '%notifications%'") != "0";
        },
        30s));
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
  }
  // The killed iteration's transaction is rolled back once its backend
  // notices the client is gone.
  ASSERT_TRUE(eventually(
      [&] {
        return query("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == "0";
      },
      10s));
  EXPECT_EQ(query("SELECT count(*) FROM notifications"), "0");
  EXPECT_EQ(reminders(emu), 0u);
  query("DROP TRIGGER slow_notice ON notifications; SELECT 1");

  service_process second({}, env);
  ASSERT_TRUE(eventually([&] { return reminders(emu) == 1; }, 30s));
  std::this_thread::sleep_for(500ms);  // ten more iterations: a second one would show up
  EXPECT_EQ(reminders(emu), 1u);
  EXPECT_EQ(query("SELECT count(*) FROM notifications WHERE kind LIKE 'reminder%'"), "1");
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait_exit(30s), 0);
}

}  // namespace
}  // namespace vpnbot::testing_support
