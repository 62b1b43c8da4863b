// Reconciliation through the whole service, on each kind of panel (3x-ui's
// legacy API, 3x-ui 3.1, Remnawave): the emulator changed behind the
// service's back, a reconcile run every 100 ms, the effects checked on the
// panel and in the database. Only our clients (by their UUID) are touched;
// clients made by hand stay.

#include "domain/subscriptions/reconcile.hpp"

#include <gtest/gtest.h>

#include <atomic>

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

struct Reconcile : fresh_database, ::testing::WithParamInterface<panel_kind> {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<panel_under_test> panel;
  std::unique_ptr<bot_harness> bot;

  // clock: the workers' clock, which the grace is measured on; empty: the system clock.
  void start(std::chrono::milliseconds grace, bool dry_run = false,
             std::function<std::chrono::system_clock::time_point()> clock = {}) {
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<panel_under_test>(GetParam());
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel->panel_settings()};
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

  std::string stored_uuid(const std::string& email) {
    return q("SELECT client_uuid FROM subscriptions WHERE client_email = '" + email + "'");
  }
  int64_t expiry_ms() {
    return std::stoll(
        q("SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM subscriptions"));
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

TEST_P(Reconcile, AClientDeletedByHandComesBackAndForeignOnesStay) {
  start(1h);
  panel->seed_foreign("alice");
  panel->seed_foreign("tg999-999");  // in our naming scheme, yet not ours
  auto alice = panel->client("alice");
  auto lookalike = panel->client("tg999-999");
  auto email = trial(41);
  auto uuid = q("SELECT client_uuid FROM subscriptions");
  EXPECT_EQ(panel->client(email)->id, uuid);
  auto clients = panel->clients().size();
  panel->drop(email);
  ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
  // Made again with the UUID stored; where the panel makes its own, the
  // new one is stored, so the next run counts the client as ours.
  if (panel->makes_its_own_uuid()) {
    ASSERT_TRUE(eventually([&] { return stored_uuid(email) == panel->client(email)->id; }, 15s));
  } else {
    EXPECT_EQ(panel->client(email)->id, uuid);
  }
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:create_client:%'"),
            "1");
  // The hand-made clients, one of them in our naming scheme, are untouched.
  EXPECT_EQ(panel->client("alice"), alice);
  EXPECT_EQ(panel->client("tg999-999"), lookalike);
  EXPECT_EQ(panel->clients().size(), clients);
  // On the wire too: 3.1 spoke only its clients API; Remnawave changed no
  // user but ours.
  if (panel->kind() == panel_kind::xui_31) {
    for (const auto& c : panel->xui()->calls())
      EXPECT_TRUE(c.path.find("/panel/api/clients/") != std::string::npos ||
                  c.op == xui_op::get_inbound || c.op == xui_op::login ||
                  c.op == xui_op::csrf_token)
          << c.path;
  }
  if (auto* rw = panel->remnawave()) {
    for (const auto& c : rw->calls()) {
      if (c.op == remnawave_op::list_users || c.op == remnawave_op::get_user) continue;
      auto name = c.params.is_object() ? c.params.value("username", "") : "";
      EXPECT_EQ(name, email) << to_string(c.op) << " " << c.path;
    }
  }
}

TEST_P(Reconcile, DriftMadeByHandIsUndone) {
  start(1h);
  panel->seed_foreign("alice");
  auto alice = panel->client("alice");
  auto email = trial(42);
  panel->edit(email, false, 1'000'000);
  ASSERT_TRUE(eventually([&] { return panel->client(email)->enable; }, 15s));
  ASSERT_TRUE(eventually([&] { return panel->client(email)->expiry_time_ms == expiry_ms(); }, 15s))
      << panel->client(email)->expiry_time_ms << " " << expiry_ms();
  EXPECT_GE(panel->call_count(panel_call::update), 1u);
  EXPECT_EQ(panel->call_count(panel_call::remove), 0u);
  EXPECT_EQ(panel->client("alice"), alice);
}

TEST_P(Reconcile, AFailingListingChangesNothing) {
  start(0ms);
  auto email = trial(43);
  // Unsold (disabled) and gone from the panel at once: with a working
  // listing it would be neither re-created nor kept; with the listing
  // failing, no run may decide anything.
  panel->fail_next(panel_call::list, 1000, 500);
  auto failed_before = reconcile_runs("listing_failed");
  q("UPDATE subscriptions SET status = 'disabled'");
  ASSERT_TRUE(
      eventually([&] { return reconcile_runs("listing_failed") >= failed_before + 3; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:%'"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM reconcile_quarantine"), "0");
  EXPECT_TRUE(panel->client(email));
}

TEST_P(Reconcile, AnOrphanIsRemovedOnlyAfterItsGraceAndNotIfSoldAgain) {
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
TEST_P(Reconcile, AnOrphansGraceRunsOnTheWorkersClock) {
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
// UUID (3.1: the new one the panel made, stored), when it goes missing.
TEST_P(Reconcile, AClientBoughtAgainAfterItsRemovalStaysAndComesBack) {
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
  panel->drop(email);
  ASSERT_TRUE(eventually([&] { return panel->client(email).has_value(); }, 15s));
  if (panel->makes_its_own_uuid()) {
    ASSERT_TRUE(eventually([&] { return stored_uuid(email) == panel->client(email)->id; }, 15s));
  } else {
    EXPECT_EQ(panel->client(email)->id, uuid);
  }
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:create_client:%'"),
            "1");
}

// A panel answering with none of our clients while many are sold there (an
// emptied or wrong inbound) is not believed: no key is created again until
// the listing shows a client of ours; then the missing ones come back.
TEST_P(Reconcile, AListingWithoutAnyOfManySoldClientsIsRefused) {
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
  std::vector<panel_client> ours;
  for (const auto& c : panel->clients())
    if (c.email.rfind("tg", 0) == 0) ours.push_back(c);
  ASSERT_EQ(ours.size(), static_cast<std::size_t>(count));
  auto foreign = panel->clients().size() - ours.size();  // 3x-ui: the panel's own client
  // All gone at once, as one listing sees them: no run in between.
  panel->fail_next(panel_call::list, 1'000'000, 500);
  for (const auto& c : ours) panel->drop(c.email);
  panel->recover(panel_call::list);
  auto refused = reconcile_runs("implausible_listing");
  ASSERT_TRUE(
      eventually([&] { return reconcile_runs("implausible_listing") >= refused + 3; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:%'"), "0");
  EXPECT_EQ(panel->clients().size(), foreign);
  // One of ours is listed again: the listing is believed, the rest re-created.
  panel->restore(ours[0]);
  ASSERT_TRUE(eventually(
      [&] { return panel->clients().size() == static_cast<std::size_t>(count) + foreign; }, 20s));
  for (const auto& c : ours) {
    if (panel->makes_its_own_uuid()) {
      EXPECT_TRUE(eventually([&] { return stored_uuid(c.email) == panel->client(c.email)->id; }))
          << c.email;
    } else {
      EXPECT_EQ(panel->client(c.email)->id, c.id);
    }
  }
}

TEST_P(Reconcile, DryRunPlansButChangesNothing) {
  start(0ms, true);
  auto email = trial(45);
  panel->drop(email);
  auto before = reconcile_runs("dry_run");
  ASSERT_TRUE(eventually([&] { return reconcile_runs("dry_run") >= before + 3; }, 15s));
  EXPECT_FALSE(panel->client(email).has_value());
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'reconcile:%'"), "0");
}

INSTANTIATE_TEST_SUITE_P(Panels, Reconcile, ::testing::ValuesIn(all_panel_kinds), panel_kind_name);

}  // namespace
}  // namespace vpnbot::testing_support
