// Two transactions that both add time to one user's subscription, with the
// interleaving forced: the first stays open while the second is seen waiting
// on a lock in pg_locks, then the first commits. Both periods must count,
// whichever of the finalizer and the auto-renewal comes first.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "app/plan_seeding.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/workers/auto_renewal.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::payments {
namespace {

using namespace std::chrono_literals;

struct PaymentFinalizerRaces : testing_support::fresh_database {
  finalizer_context ctx{&telegram::texts::builtin(), 0};
  int64_t user_id = 0;
  std::string expiry_before;  // E, the subscription's expiry before the race

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    pqxx::connection c(url);
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    user_id = db::upsert_user_on_start(tx, 51, "racer", "Racer", "en").user.id;
    tx.commit();
  }

  // A pending order of m1 (30 days) for the user.
  std::string order() {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::new_payment p;
    p.user_id = user_id;
    p.purpose = "plan";
    p.plan_id = db::find_plan(tx, "m1").value().id;
    p.provider = "cryptobot";
    p.amount = 19900;
    p.currency = "RUB";
    auto id = db::create_payment(tx, p);
    tx.commit();
    return id;
  }

  payment_confirmation paid(const std::string& id) const {
    return {id, "cryptobot", "inv-" + id, 19900, "RUB"};
  }

  finalize_result finalize(const std::string& id) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    telegram::outbox_writer writer(tx);
    auto r = finalize_payment(tx, paid(id), ctx, writer);
    tx.commit();
    return r.result;
  }

  // A paid subscription with auto-renewal on, expiring in 12 hours (inside
  // the renewal window), and a balance that pays for one renewal.
  void existing_subscription() {
    ASSERT_EQ(finalize(order()), finalize_result::granted);
    query(
        "UPDATE subscriptions SET auto_renew = true,"
        " expires_at = date_trunc('second', now()) + interval '12 hours'");
    expiry_before = query("SELECT expires_at FROM subscriptions");
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::post_ledger_entry(tx, user_id, 25000, "RUB", "topup", "test-topup");
    tx.commit();
  }

  std::string expiry_plus_days(int days) {
    return query("SELECT '" + expiry_before + "'::timestamptz + interval '" + std::to_string(days) +
                 " days'");
  }

  // Runs `first` in a transaction that stays open until the finalization of
  // `second` on another connection waits for it, then commits it.
  template <class First>
  finalize_result finalize_behind(First first, const std::string& second) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    first(tx);
    auto racer = std::async(std::launch::async, [&] { return finalize(second); });
    EXPECT_TRUE(someone_waits_for_a_lock()) << "the second transaction never waited for the first";
    tx.commit();
    return racer.get();
  }
};

TEST_F(PaymentFinalizerRaces, TwoOrdersFinalizedConcurrentlyBothExtend) {
  existing_subscription();
  auto one = order(), two = order();
  auto result = finalize_behind(
      [&](pqxx::work& tx) {
        telegram::outbox_writer writer(tx);
        ASSERT_EQ(finalize_payment(tx, paid(one), ctx, writer).result, finalize_result::granted);
      },
      two);
  EXPECT_EQ(result, finalize_result::granted);
  EXPECT_EQ(query("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(query("SELECT expires_at FROM subscriptions"), expiry_plus_days(60));
  EXPECT_EQ(query("SELECT count(*) FROM payments WHERE status = 'succeeded'"), "3");
  EXPECT_EQ(query("SELECT granted_expiry FROM payments WHERE id = '" + two + "'"),
            expiry_plus_days(60));
  for (const auto& id : {one, two})
    EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'extend_client'"
                    " AND idempotency_key = 'payment:" +
                    id + "'"),
              "1");
}

TEST_F(PaymentFinalizerRaces, AFinalizationBehindAnAutoRenewalAddsItsPeriodToTheRenewedOne) {
  existing_subscription();
  auto two = order();
  auto result = finalize_behind(
      [&](pqxx::work& tx) {
        auto report = workers::renew_from_balance(tx, std::chrono::system_clock::now(), {}, {});
        ASSERT_EQ(report.processed, 1);
      },
      two);
  EXPECT_EQ(result, finalize_result::granted);
  EXPECT_EQ(query("SELECT expires_at FROM subscriptions"), expiry_plus_days(60));
  EXPECT_EQ(query("SELECT count(*) FROM balance_ledger WHERE reason = 'auto_renewal'"), "1");
  EXPECT_EQ(query("SELECT balance FROM users"), std::to_string(25000 - 19900));
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'extend_client'"), "2");
}

TEST_F(PaymentFinalizerRaces, TwoFirstOrdersMakeOneSubscriptionWithBothPeriods) {
  auto one = order(), two = order();
  std::string expiry_after_one;
  auto result = finalize_behind(
      [&](pqxx::work& tx) {
        telegram::outbox_writer writer(tx);
        auto r = finalize_payment(tx, paid(one), ctx, writer);
        ASSERT_EQ(r.result, finalize_result::granted);
        expiry_after_one = *r.granted_expiry;
      },
      two);
  EXPECT_EQ(result, finalize_result::granted);
  EXPECT_EQ(query("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(query("SELECT expires_at = '" + expiry_after_one +
                  "'::timestamptz + interval '30 days' FROM subscriptions"),
            "t");
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'create_client'"), "1");
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'extend_client'"), "1");
}

}  // namespace
}  // namespace vpnbot::payments
