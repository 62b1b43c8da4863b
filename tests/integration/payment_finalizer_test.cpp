// The finalizer called directly against PostgreSQL: the same confirmation
// delivered concurrently from many connections, replayed after success, and
// a crash (rollback) in the middle, and money that arrives after we gave up
// on the payment — money turns into time exactly once.

#include "domain/payments/payment_finalizer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "app/plan_seeding.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::payments {
namespace {

struct PaymentFinalizer : testing_support::fresh_database {
  finalizer_context ctx{&telegram::texts::builtin(), 5000};
  std::string payment_id;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    pqxx::connection c(url);
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    auto user = db::upsert_user_on_start(tx, 31, "u", "U", "en").user;
    db::new_payment p;
    p.user_id = user.id;
    p.purpose = "plan";
    p.plan_id = db::find_plan(tx, "m1").value().id;
    p.provider = "cryptobot";
    p.amount = 19900;
    p.currency = "RUB";
    payment_id = db::create_payment(tx, p);
    tx.commit();
  }

  std::string q(const std::string& sql) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  finalize_result finalize(const payment_confirmation& conf, bool commit = true) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    telegram::outbox_writer writer(tx);
    auto r = finalize_payment(tx, conf, ctx, writer);
    if (commit) tx.commit();
    return r.result;
  }

  payment_confirmation good() const { return {payment_id, "cryptobot", "inv-1", 19900, "RUB"}; }

  // The payment expires by its TTL, as the payment_expiry worker does it.
  void expire() {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_EQ(db::expire_pending_payments(tx, "2100-01-01T00:00:00Z", 10).size(), 1u);
    tx.commit();
  }
};

TEST_F(PaymentFinalizer, ConcurrentDuplicatesGrantExactlyOnce) {
  std::atomic<int> granted{0}, final{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      auto r = finalize(good());
      (r == finalize_result::granted         ? granted
       : r == finalize_result::already_final ? final
                                             : other)++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted, 1);
  EXPECT_EQ(final, 7);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM telegram_outbox"), "1");
  EXPECT_EQ(q("SELECT granted_expiry = (SELECT expires_at FROM subscriptions) FROM payments"), "t");
}

TEST_F(PaymentFinalizer, ReplayAfterSuccessChangesNothing) {
  ASSERT_EQ(finalize(good()), finalize_result::granted);
  auto expiry = q("SELECT expires_at FROM subscriptions");
  ASSERT_EQ(finalize(good()), finalize_result::already_final);
  EXPECT_EQ(q("SELECT expires_at FROM subscriptions"), expiry);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "1");
}

TEST_F(PaymentFinalizer, CrashBeforeCommitLeavesThePaymentPendingForTheRetry) {
  ASSERT_EQ(finalize(good(), /*commit=*/false), finalize_result::granted);
  EXPECT_EQ(q("SELECT status FROM payments"), "pending");
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "0");
  ASSERT_EQ(finalize(good()), finalize_result::granted);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
}

TEST_F(PaymentFinalizer, WrongProviderAmountOrCurrencyIsAMismatch) {
  auto wrong = good();
  wrong.currency = "USD";
  EXPECT_EQ(finalize(wrong), finalize_result::mismatch);
  EXPECT_EQ(q("SELECT status FROM payments"), "mismatch");
  // Once flagged, even the right confirmation grants nothing: an operator decides.
  EXPECT_EQ(finalize(good()), finalize_result::already_final);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "0");
}

TEST_F(PaymentFinalizer, MoneyAfterOurTtlExpiredThePaymentIsGrantedOnceAndRecorded) {
  expire();
  ASSERT_EQ(q("SELECT status FROM payments"), "expired");
  EXPECT_EQ(finalize(good()), finalize_result::granted_late);
  EXPECT_EQ(q("SELECT status FROM payments"), "succeeded");
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + payment_id + "'"),
            "1");
  EXPECT_EQ(q("SELECT granted_expiry = (SELECT expires_at FROM subscriptions) FROM payments"), "t");
  EXPECT_EQ(q("SELECT details->>'status' FROM audit_log WHERE action = 'payment_paid_late'"),
            "expired");
  EXPECT_EQ(q("SELECT count(*) FROM telegram_outbox"), "1");
  // The same late confirmation again: nothing more.
  auto expiry = q("SELECT expires_at FROM subscriptions");
  EXPECT_EQ(finalize(good()), finalize_result::already_final);
  EXPECT_EQ(q("SELECT expires_at FROM subscriptions"), expiry);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_paid_late'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM telegram_outbox"), "1");
}

TEST_F(PaymentFinalizer, MoneyForACancelledPaymentIsGrantedLate) {
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_TRUE(db::mark_payment_if_pending(tx, payment_id, "failed"));
    tx.commit();
  }
  EXPECT_EQ(finalize(good()), finalize_result::granted_late);
  EXPECT_EQ(q("SELECT status FROM payments"), "succeeded");
  EXPECT_EQ(finalize(good()), finalize_result::already_final);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
}

TEST_F(PaymentFinalizer, ALateConfirmationThatDoesNotMatchIsAMismatch) {
  expire();
  auto wrong = good();
  wrong.amount = 100;
  EXPECT_EQ(finalize(wrong), finalize_result::mismatch);
  EXPECT_EQ(q("SELECT status FROM payments"), "mismatch");
  EXPECT_EQ(q("SELECT details->>'status' FROM audit_log WHERE action = 'payment_mismatch'"),
            "expired");
  EXPECT_EQ(finalize(good()), finalize_result::already_final);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "0");
}

TEST_F(PaymentFinalizer, ARefundedPaymentStaysRefunded) {
  ASSERT_EQ(finalize(good()), finalize_result::granted);
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_TRUE(db::mark_payment_refunded_by_id(
        tx, tx.exec("SELECT id::text FROM payments")[0][0].as<std::string>()));
    tx.commit();
  }
  EXPECT_EQ(finalize(good()), finalize_result::already_final);
  EXPECT_EQ(q("SELECT status FROM payments"), "refunded");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "1");
}

TEST_F(PaymentFinalizer, UnknownOrMalformedPaymentIdsAreUnknown) {
  auto unknown = good();
  unknown.payment_id = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(finalize(unknown), finalize_result::unknown_payment);
  unknown.payment_id = "'; DROP TABLE payments; --";
  EXPECT_EQ(finalize(unknown), finalize_result::unknown_payment);
  EXPECT_EQ(q("SELECT status FROM payments"), "pending");
}

}  // namespace
}  // namespace vpnbot::payments
