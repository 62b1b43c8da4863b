// Reconciliation through the whole service: the 3x-ui emulator changed
// behind the service's back, a reconcile run every 100 ms, the effects
// checked on the panel and in the database.

#include "domain/subscriptions/reconcile.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "adapters/metrics/registry.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "domain/workers/expiry.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

struct Reconcile : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<xui_emulator> panel;
  std::unique_ptr<bot_harness> bot;
  xui_emulator_options panel_options;  // the panel's version: the API spoken
  int64_t inbound = 0;

  // clock: the workers' clock, which the grace is measured on; empty: the system clock.
  void start(std::chrono::milliseconds grace, bool dry_run = false,
             std::function<std::chrono::system_clock::time_point()> clock = {}) {
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<xui_emulator>(panel_options);
    inbound = panel->options().inbound_id;
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel_settings_for(*panel)};
    s.workers.reconcile_interval = 100ms;
    s.workers.reconcile_grace = grace;
    s.workers.reconcile_dry_run = dry_run;
    bot = std::make_unique<bot_harness>(s, clock);
  }

  void TearDown() override {
    bot.reset();
    fresh_database::TearDown();
  }

  std::string q(const std::string& sql) { return bot->query(sql); }

  // A trial taken through the bot, its client made: returns its email.
  std::string trial(int64_t user) {
    emu->push_text(user, "/start");
    EXPECT_TRUE(emu->wait_for_calls("sendMessage", 1, 10s));
    emu->push_callback(user, 70, "m:trial");
    EXPECT_TRUE(eventually(
        [&] { return q("SELECT count(*) FROM jobs WHERE state = 'done'") == "1"; }, 15s));
    return q("SELECT client_email FROM subscriptions");
  }

  // The expiry worker's step at `after` past the subscription's expiry.
  void expire(int64_t sub, std::chrono::seconds after) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto expiry = std::chrono::seconds(std::stoll(
        tx.exec("SELECT extract(epoch FROM expires_at)::bigint FROM subscriptions WHERE id = " +
                std::to_string(sub))[0][0]
            .as<std::string>()));
    workers::expire_subscriptions(tx, std::chrono::system_clock::time_point(expiry + after), {},
                                  {});
    tx.commit();
  }

  int reconcile_runs(const std::string& outcome) {
    auto text = metrics::global().render();
    auto key = "vpnbot_reconcile_runs_total{panel=\"main\",outcome=\"" + outcome + "\"} ";
    auto at = text.find(key);
    return at == std::string::npos ? 0 : std::stoi(text.substr(at + key.size()));
  }
};

panel::xui_client hand_made(std::string email, std::string uuid) {
  panel::xui_client c;
  c.id = std::move(uuid);
  c.email = std::move(email);
  c.enable = true;
  return c;
}

TEST_F(Reconcile, AClientDeletedByHandComesBackWithItsUuidAndForeignOnesStay) {
  start(1h);
  panel->seed_client(inbound,
                     hand_made("alice@example.com", "0a0a0a0a-0000-4000-8000-000000000001"));
  panel->seed_client(inbound, hand_made("tg999-999", "0a0a0a0a-0000-4000-8000-000000000002"));
  auto email = trial(41);
  auto uuid = q("SELECT client_uuid FROM subscriptions");
  auto clients = panel->clients(inbound).size();
  panel->drop_client(inbound, email);
  ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
  EXPECT_EQ(panel->client(email)->id, uuid);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:create_client:%'"),
            "1");
  // The hand-made clients, one of them in our email scheme, are untouched.
  EXPECT_TRUE(panel->client("alice@example.com"));
  EXPECT_TRUE(panel->client("tg999-999"));
  EXPECT_EQ(panel->clients(inbound).size(), clients);
}

TEST_F(Reconcile, DriftMadeByHandIsUndone) {
  start(1h);
  auto email = trial(42);
  auto edited = *panel->client(email);
  edited.enable = false;
  edited.expiry_time_ms = 1'000'000;
  panel->edit_client(inbound, edited);
  ASSERT_TRUE(eventually([&] { return panel->client(email)->enable; }, 15s));
  EXPECT_EQ(
      panel->client(email)->expiry_time_ms,
      std::stoll(q("SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM subscriptions")));
}

// 3x-ui 3.1: the clients API; a client made again gets the panel's own
// UUID, which is stored, so the next run counts it as ours.
struct Reconcile31 : Reconcile {
  Reconcile31() { panel_options.version = "3.1.0"; }
};

TEST_F(Reconcile31, AClientDeletedByHandComesBackAndForeignOnesStay) {
  start(1h);
  panel->seed_client(inbound,
                     hand_made("alice@example.com", "0a0a0a0a-0000-4000-8000-000000000001"));
  panel->seed_client(inbound, hand_made("tg999-999", "0a0a0a0a-0000-4000-8000-000000000002"));
  auto email = trial(41);
  EXPECT_EQ(q("SELECT client_uuid FROM subscriptions"), panel->client(email)->id);
  auto clients = panel->clients(inbound).size();
  panel->drop_client(inbound, email);
  ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
  ASSERT_TRUE(eventually(
      [&] { return q("SELECT client_uuid FROM subscriptions") == panel->client(email)->id; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:create_client:%'"),
            "1");
  EXPECT_TRUE(panel->client("alice@example.com"));
  EXPECT_TRUE(panel->client("tg999-999"));
  EXPECT_EQ(panel->client("tg999-999")->id, "0a0a0a0a-0000-4000-8000-000000000002");
  EXPECT_EQ(panel->clients(inbound).size(), clients);
  for (const auto& c : panel->calls())
    EXPECT_TRUE(c.path.find("/panel/api/clients/") != std::string::npos ||
                c.op == xui_op::get_inbound || c.op == xui_op::login || c.op == xui_op::csrf_token)
        << c.path;
}

TEST_F(Reconcile31, DriftMadeByHandIsUndone) {
  start(1h);
  auto email = trial(42);
  auto edited = *panel->client(email);
  edited.enable = false;
  edited.expiry_time_ms = 1'000'000;
  panel->edit_client(inbound, edited);
  ASSERT_TRUE(eventually([&] { return panel->client(email)->enable; }, 15s));
  EXPECT_EQ(
      panel->client(email)->expiry_time_ms,
      std::stoll(q("SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM subscriptions")));
  EXPECT_GE(panel->call_count(xui_op::update_client), 1u);
}

TEST_F(Reconcile, AFailingListingChangesNothing) {
  start(0ms);
  auto email = trial(43);
  // Unsold (disabled) and gone from the panel at once: with a working
  // listing it would be neither re-created nor kept; with the listing
  // failing, no run may decide anything.
  panel->fail_next(xui_op::get_inbound, 1000, 500);
  auto failed_before = reconcile_runs("listing_failed");
  q("UPDATE subscriptions SET status = 'disabled'");
  ASSERT_TRUE(
      eventually([&] { return reconcile_runs("listing_failed") >= failed_before + 3; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:%'"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM reconcile_quarantine"), "0");
  EXPECT_TRUE(panel->client(email));
}

TEST_F(Reconcile, AnOrphanIsRemovedOnlyAfterItsGraceAndNotIfSoldAgain) {
  start(1500ms);
  auto email = trial(44);
  q("UPDATE subscriptions SET status = 'disabled'");  // nothing sells it any more
  ASSERT_TRUE(
      eventually([&] { return q("SELECT count(*) FROM reconcile_quarantine") == "1"; }, 15s));
  EXPECT_TRUE(panel->client(email)) << "removed before its grace";
  // Sold again within the grace: it leaves quarantine and stays.
  q("UPDATE subscriptions SET status = 'active'");
  ASSERT_TRUE(
      eventually([&] { return q("SELECT count(*) FROM reconcile_quarantine") == "0"; }, 15s));
  std::this_thread::sleep_for(1800ms);
  EXPECT_TRUE(panel->client(email));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'remove_client'"), "0");
  // Unsold for good: quarantined, then removed once the grace has passed.
  q("UPDATE subscriptions SET status = 'disabled'");
  ASSERT_TRUE(eventually([&] { return !panel->client(email).has_value(); }, 20s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'remove_client'"), "1");
  EXPECT_TRUE(
      eventually([&] { return q("SELECT count(*) FROM reconcile_quarantine") == "0"; }, 5s));
}

// Six hours of grace on a clock the test moves: five hours on, many runs
// later, the orphan is still there; past six it is removed, once.
TEST_F(Reconcile, AnOrphansGraceRunsOnTheWorkersClock) {
  auto shift = std::make_shared<std::atomic<int64_t>>(0);
  start(6h, false,
        [shift] { return std::chrono::system_clock::now() + std::chrono::seconds(shift->load()); });
  auto email = trial(45);
  q("UPDATE subscriptions SET status = 'disabled'");
  ASSERT_TRUE(
      eventually([&] { return q("SELECT count(*) FROM reconcile_quarantine") == "1"; }, 15s));
  shift->store(std::chrono::seconds(5h).count());
  auto runs = reconcile_runs("applied");
  ASSERT_TRUE(eventually([&] { return reconcile_runs("applied") >= runs + 3; }, 15s));
  EXPECT_TRUE(panel->client(email)) << "removed within its grace";
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'remove_client'"), "0");
  shift->store(std::chrono::seconds(6h + 1min).count());
  ASSERT_TRUE(eventually([&] { return !panel->client(email).has_value(); }, 20s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'remove_client'"), "1");
}

// A customer who buys again after the retention removal gets the same
// subscription, and so the same client, back. The finished removal was for
// the old expiry: reconcile keeps the client and re-creates it, with its
// UUID, when it goes missing.
TEST_F(Reconcile, AClientBoughtAgainAfterItsRemovalStaysAndComesBack) {
  start(0ms);
  int64_t sub = 0;
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto user = db::upsert_user_on_start(tx, 46, "again", "Again", "en").user;
    sub = subscriptions::provision(tx, user.id, *db::find_plan(tx, "m1"), "paid", "buy:1")->id;
    tx.commit();
  }
  auto email = q("SELECT client_email FROM subscriptions");
  auto uuid = q("SELECT client_uuid FROM subscriptions");
  ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
  // Ended, then past the retention: disabled, then removed from the panel.
  expire(sub, 1h);
  ASSERT_TRUE(eventually([&] { return !panel->client(email)->enable; }, 15s));
  expire(sub, 31 * 24h);
  ASSERT_TRUE(eventually([&] { return !panel->client(email).has_value(); }, 15s));
  ASSERT_TRUE(eventually(
      [&] { return q("SELECT state FROM jobs WHERE kind = 'remove_client'") == "done"; }, 15s));
  // Bought again, as the payment finalizer does it: the same subscription
  // extended, its client added back by the extend job.
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto row = db::find_subscription(tx, sub);
    subscriptions::extend(tx, *row, db::extended_expiry(tx, sub, 30), "payment:again");
    tx.commit();
  }
  ASSERT_TRUE(eventually(
      [&] { return panel->client(email).has_value() && panel->client(email)->enable; }, 15s));
  auto runs = reconcile_runs("applied");
  ASSERT_TRUE(eventually([&] { return reconcile_runs("applied") >= runs + 3; }, 15s));
  EXPECT_TRUE(panel->client(email)) << "a renewed customer's client was removed";
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:remove_client:%'"),
            "0");
  EXPECT_EQ(q("SELECT count(*) FROM reconcile_quarantine"), "0");
  // Lost on the panel: re-created under its stored UUID.
  panel->drop_client(inbound, email);
  ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
  EXPECT_EQ(panel->client(email)->id, uuid);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:create_client:%'"),
            "1");
}

// A panel answering with none of our clients while many are sold there (an
// emptied or wrong inbound) is not believed: no key is created again until
// the listing shows a client of ours; then the missing ones come back.
TEST_F(Reconcile, AListingWithoutAnyOfManySoldClientsIsRefused) {
  start(0ms);
  constexpr int count = static_cast<int>(activation::max_blind_recreate) + 1;
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto plan = db::find_plan(tx, "m1");
    for (int i = 0; i < count; ++i) {
      auto user = db::upsert_user_on_start(tx, 500 + i, "", "U", "en").user;
      subscriptions::provision(tx, user.id, *plan, "paid", "bulk-" + std::to_string(i));
    }
    tx.commit();
  }
  ASSERT_TRUE(eventually(
      [&] { return q("SELECT count(*) FROM jobs WHERE state = 'done'") == std::to_string(count); },
      30s));
  std::vector<panel::xui_client> ours;
  for (const auto& c : panel->clients(inbound))
    if (c.email.rfind("tg", 0) == 0) ours.push_back(c);
  ASSERT_EQ(ours.size(), static_cast<std::size_t>(count));
  // All gone at once, as one listing sees them: no run in between.
  panel->fail_next(xui_op::get_inbound, 1'000'000, 500);
  for (const auto& c : ours) panel->drop_client(inbound, c.email);
  panel->recover(xui_op::get_inbound);
  auto refused = reconcile_runs("implausible_listing");
  ASSERT_TRUE(
      eventually([&] { return reconcile_runs("implausible_listing") >= refused + 3; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:%'"), "0");
  EXPECT_EQ(panel->clients(inbound).size(), 1u);  // the panel's own client only
  // One of ours is listed again: the listing is believed, the rest re-created.
  panel->seed_client(inbound, ours[0]);
  ASSERT_TRUE(eventually(
      [&] { return panel->clients(inbound).size() == static_cast<std::size_t>(count) + 1; }, 20s));
  for (const auto& c : ours) EXPECT_EQ(panel->client(c.email)->id, c.id);
}

TEST_F(Reconcile, DryRunPlansButChangesNothing) {
  start(0ms, true);
  auto email = trial(45);
  panel->drop_client(inbound, email);
  auto before = reconcile_runs("dry_run");
  ASSERT_TRUE(eventually([&] { return reconcile_runs("dry_run") >= before + 3; }, 15s));
  EXPECT_FALSE(panel->client(email).has_value());
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:%'"), "0");
}

}  // namespace
}  // namespace vpnbot::testing_support
