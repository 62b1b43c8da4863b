// Reconciliation against a Remnawave panel through the whole service: the
// emulator changed behind the service's back, a reconcile run every 100 ms.
// Only our users (by our naming) are touched; users made by hand stay.

#include <gtest/gtest.h>

#include "adapters/emulators/remnawave/remnawave_emulator.hpp"
#include "adapters/panel/remnawave_protocol.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

struct ReconcileRemnawave : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<remnawave_emulator> panel;
  std::unique_ptr<bot_harness> bot;

  void start() {
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<remnawave_emulator>();
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel_settings_for(*panel)};
    s.workers.reconcile_interval = 100ms;
    s.workers.reconcile_grace = 1h;
    bot = std::make_unique<bot_harness>(s);
  }

  void TearDown() override {
    bot.reset();
    fresh_database::TearDown();
  }

  std::string q(const std::string& sql) { return bot->query(sql); }

  std::string trial(int64_t user) {
    emu->push_text(user, "/start");
    EXPECT_TRUE(emu->wait_for_calls("sendMessage", 1, 10s));
    emu->push_callback(user, 70, "m:trial");
    EXPECT_TRUE(eventually(
        [&] { return q("SELECT count(*) FROM jobs WHERE state = 'done'") == "1"; }, 15s));
    return q("SELECT client_email FROM subscriptions");
  }

  int64_t expiry_ms() {
    return std::stoll(
        q("SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM subscriptions"));
  }
};

TEST_F(ReconcileRemnawave, AUserDeletedByHandComesBackAndForeignOnesStay) {
  start();
  auto alice = panel->seed_user("alice");
  auto lookalike = panel->seed_user("tg999-999");
  auto email = trial(51);
  auto uuid = q("SELECT client_uuid FROM subscriptions");
  EXPECT_EQ((*panel->user(email))["vlessUuid"], uuid);
  panel->drop_user(email);
  ASSERT_TRUE(eventually([&] { return panel->user(email).has_value(); }, 15s));
  EXPECT_EQ((*panel->user(email))["vlessUuid"], uuid);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:create_client:%'"),
            "1");
  // The hand-made users, one of them named in our scheme, are untouched.
  EXPECT_EQ(panel->user("alice"), alice);
  EXPECT_EQ(panel->user("tg999-999"), lookalike);
  EXPECT_EQ(panel->users().size(), 3u);
  for (const auto& c : panel->calls()) {
    if (c.op == remnawave_op::list_users || c.op == remnawave_op::get_user) continue;
    auto name = c.params.is_object() ? c.params.value("username", "") : "";
    EXPECT_EQ(name, email) << to_string(c.op) << " " << c.path;
  }
}

TEST_F(ReconcileRemnawave, DriftMadeByHandIsUndone) {
  start();
  panel->seed_user("alice");
  auto email = trial(52);
  panel->edit_user(email, "DISABLED", 1'000'000);
  ASSERT_TRUE(eventually([&] { return (*panel->user(email))["status"] == "ACTIVE"; }, 15s));
  ASSERT_TRUE(eventually(
      [&] {
        return (*panel->user(email))["expireAt"] == panel::remnawave_time(expiry_ms()) ||
               (*panel->user(email))["expireAt"].get<std::string>().substr(0, 19) ==
                   panel::remnawave_time(expiry_ms()).substr(0, 19);
      },
      15s));
  EXPECT_EQ((*panel->user("alice"))["status"], "ACTIVE");
  EXPECT_EQ(panel->call_count(remnawave_op::delete_user), 0u);
}

}  // namespace
}  // namespace vpnbot::testing_support
