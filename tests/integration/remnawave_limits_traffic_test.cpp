// A Remnawave panel through the whole service: the plan's traffic and
// device limits reach the user (trafficLimitBytes, hwidDeviceLimit) on
// create and on extend, and the traffic meter reads each of our users'
// usedTrafficBytes into the subscription (a user made by hand is ignored).

#include <gtest/gtest.h>

#include "adapters/db/jobs_repository.hpp"
#include "adapters/emulators/remnawave/remnawave_emulator.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/plan_catalog.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t gib = 1024LL * 1024 * 1024;

struct RemnawaveLimitsAndTraffic : fresh_database {
  remnawave_emulator panel;
  bot_api_emulator emu;

  config::settings settings() {
    auto s = bot_test_settings(url, emu);
    s.panels = {panel_settings_for(panel, "main")};
    s.workers.traffic_interval = 50ms;
    EXPECT_FALSE(config::parse_plan_catalog(
        "trial:3:trial:gb=5,devices=2; m1:30:RUB=19900,XTR=150:gb=100,devices=3", s.bot.plans));
    return s;
  }

  void trial(int64_t user) {
    emu.push_text(user, "/start");
    EXPECT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
    emu.push_callback(user, 70, "m:trial");
    EXPECT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  }
};

TEST_F(RemnawaveLimitsAndTraffic, PlanLimitsReachTheUserAndItsTrafficIsRead) {
  bot_harness bot(settings());
  panel.seed_user("alice");
  trial(91);
  auto email = bot.query("SELECT client_email FROM subscriptions");
  auto user = panel.user(email);
  ASSERT_TRUE(user);
  EXPECT_EQ((*user)["trafficLimitBytes"], 5 * gib);
  EXPECT_EQ((*user)["hwidDeviceLimit"], 2);
  EXPECT_EQ((*user)["telegramId"], 91);
  EXPECT_EQ(metrics::global().value("vpnbot_panel_info", {{"panel", "main"}, {"api", "remnawave"}}),
            1);

  // The operator raises the trial's limits: the next extend carries them.
  bot.query("UPDATE plans SET device_limit = 4, traffic_limit_bytes = " + std::to_string(8 * gib) +
            " WHERE code = 'trial'");
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::enqueue_job(tx, "extend_client", std::stoll(bot.query("SELECT id FROM subscriptions")),
                    json::object(), "test-extend");
    tx.commit();
  }
  ASSERT_TRUE(eventually([&] {
    auto u = panel.user(email);
    return u && (*u)["hwidDeviceLimit"] == 4 && (*u)["trafficLimitBytes"] == 8 * gib;
  }));

  // Traffic: ours read into the subscription; alice's is not ours.
  panel.set_used_traffic(email, 3 * gib / 2);
  panel.set_used_traffic("alice", 7 * gib);
  ASSERT_TRUE(eventually(
      [&] { return bot.query("SELECT traffic_used_bytes FROM subscriptions") == "1610612736"; }));
  EXPECT_GE(metrics::global().value("vpnbot_traffic_readings_total",
                                    {{"panel", "main"}, {"outcome", "ok"}}),
            1);
  EXPECT_EQ(panel.call_count(remnawave_op::create_user), 1u);
  EXPECT_EQ(panel.call_count(remnawave_op::delete_user), 0u);
}

}  // namespace
}  // namespace vpnbot::testing_support
