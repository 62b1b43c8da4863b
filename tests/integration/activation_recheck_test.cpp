// A disable or remove job queued while the panel was failing, then a
// renewal before the panel came back: the job is checked against the
// subscription's state when it is leased again and done without a panel
// call, so the renewed customer's client is never disabled or deleted. The
// whole service against real PostgreSQL and each kind of panel (3x-ui's
// legacy API, 3x-ui 3.1, Remnawave).

#include <gtest/gtest.h>

#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/metrics/registry.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "domain/workers/expiry.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"
#include "support/panel_under_test.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

struct ActivationRecheck : fresh_database, ::testing::WithParamInterface<panel_kind> {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<panel_under_test> panel;
  std::unique_ptr<bot_harness> bot;
  int64_t sub = 0;
  std::string email;

  void SetUp() override {
    fresh_database::SetUp();
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<panel_under_test>(GetParam());
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel->panel_settings()};
    s.panel_defaults.call_timeout = 1s;
    s.panel_defaults.retry_backoff_min = 5ms;
    s.panel_defaults.retry_backoff_max = 20ms;
    s.panel_defaults.breaker_failures = 3;
    s.panel_defaults.breaker_open_for = 200ms;
    s.panel_defaults.job_retry_min = 50ms;
    s.panel_defaults.job_max_attempts = 1000;
    bot = std::make_unique<bot_harness>(s);
    {
      pqxx::connection c(url);
      pqxx::work tx(c);
      auto user = db::upsert_user_on_start(tx, 81, "renews", "Renews", "en").user;
      sub = subscriptions::provision(tx, user.id, *db::find_plan(tx, "m1"), "paid", "buy:1")->id;
      tx.commit();
    }
    email = q("SELECT client_email FROM subscriptions");
    ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
    // The panel has the client before the activation's own commit, which
    // writes the subscription row; until then the expiry step, which skips
    // locked rows, could pass it over.
    ASSERT_TRUE(eventually([&] { return job("create_client", "state") == "done"; }, 15s));
  }

  void TearDown() override {
    bot.reset();
    fresh_database::TearDown();
  }

  std::string q(const std::string& sql) { return bot->query(sql); }

  // The expiry worker's step at `after` past the subscription's expiry.
  void expire(std::chrono::seconds after) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto expiry = std::chrono::seconds(
        tx.exec("SELECT extract(epoch FROM expires_at)::bigint FROM subscriptions")[0][0]
            .as<int64_t>());
    workers::expire_subscriptions(tx, std::chrono::system_clock::time_point(expiry + after), {},
                                  {});
    tx.commit();
  }

  // Bought again, as the payment finalizer does it.
  void renew() {
    pqxx::connection c(url);
    pqxx::work tx(c);
    subscriptions::extend(tx, *db::find_subscription(tx, sub), db::extended_expiry(tx, sub, 30),
                          "payment:again");
    tx.commit();
  }

  std::string job(const std::string& kind, const std::string& column) {
    return q("SELECT " + column + " FROM jobs WHERE kind = '" + kind + "'");
  }

  bool enabled_with_new_expiry() {
    auto c = panel->client(email);
    return c && c->enable &&
           c->expiry_time_ms ==
               std::stoll(q("SELECT (extract(epoch FROM expires_at) * 1000)::bigint"
                            " FROM subscriptions"));
  }
};

TEST_P(ActivationRecheck, ADisableQueuedBeforeARenewalIsSkipped) {
  panel->fail_next(panel_call::update, 1'000'000, 503);
  expire(1h);
  ASSERT_TRUE(eventually([&] { return !job("disable_client", "last_error").empty(); }, 15s));
  renew();
  // Checked again at its next lease, while the panel still fails: done, no call.
  ASSERT_TRUE(eventually([&] { return job("disable_client", "state") == "done"; }, 15s));
  EXPECT_NE(job("disable_client", "note").find("active again"), std::string::npos);
  panel->recover(panel_call::update);
  ASSERT_TRUE(eventually([&] { return enabled_with_new_expiry(); }, 15s));
  ASSERT_TRUE(eventually([&] { return job("extend_client", "state") == "done"; }, 15s));
  EXPECT_EQ(panel->succeeded(panel_call::update), 1u) << "only the extension reached the panel";
  EXPECT_NE(metrics::global().render().find(
                "vpnbot_activation_jobs_total{kind=\"disable_client\",outcome=\"skipped\"} 1"),
            std::string::npos);
}

TEST_P(ActivationRecheck, ARemoveQueuedBeforeARenewalIsSkipped) {
  expire(1h);
  ASSERT_TRUE(eventually([&] { return job("disable_client", "state") == "done"; }, 15s));
  ASSERT_FALSE(panel->client(email)->enable);
  panel->fail_next(panel_call::remove, 1'000'000, 503);
  expire(31 * 24h);  // past the retention
  ASSERT_TRUE(eventually([&] { return !job("remove_client", "last_error").empty(); }, 15s));
  renew();
  ASSERT_TRUE(eventually([&] { return job("remove_client", "state") == "done"; }, 15s));
  EXPECT_NE(job("remove_client", "note").find("sold again"), std::string::npos);
  panel->recover(panel_call::remove);
  ASSERT_TRUE(eventually([&] { return enabled_with_new_expiry(); }, 15s));
  ASSERT_TRUE(eventually([&] { return job("extend_client", "state") == "done"; }, 15s));
  EXPECT_EQ(panel->succeeded(panel_call::remove), 0u);
  EXPECT_TRUE(panel->client(email));
}

INSTANTIATE_TEST_SUITE_P(Panels, ActivationRecheck, ::testing::ValuesIn(all_panel_kinds),
                         panel_kind_name);

}  // namespace
}  // namespace vpnbot::testing_support
