// Refunds called directly against PostgreSQL: a top-up's credit is taken
// back as far as the balance goes, refunds beyond the payment are refused,
// a replayed refund changes nothing, and concurrent deliveries of one refund
// apply it once.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/payments/refund.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::payments {
namespace {

struct PaymentRefund : testing_support::fresh_database {
  std::string payment_id;
  int64_t user_id = 0;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    pqxx::connection c(url);
    pqxx::work tx(c);
    user_id = db::upsert_user_on_start(tx, 41, "u", "U", "en").user.id;
    db::new_payment p;
    p.user_id = user_id;
    p.purpose = "topup";
    p.provider = "yookassa";
    p.amount = 30000;
    p.currency = "RUB";
    payment_id = db::create_payment(tx, p);
    telegram::outbox_writer writer(tx);
    finalizer_context ctx;
    EXPECT_EQ(
        finalize_payment(tx, {payment_id, "yookassa", "yk-1", 30000, "RUB"}, ctx, writer).result,
        finalize_result::granted);
    tx.commit();
  }

  std::string q(const std::string& sql) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  refund_result refund(const std::string& refund_id, int64_t amount,
                       const std::string& currency = "RUB") {
    pqxx::connection c(url);
    pqxx::work tx(c);
    telegram::outbox_writer writer(tx);
    auto r = take_back(tx, {"yookassa", refund_id, payment_id, amount, currency},
                       telegram::texts::builtin(), writer);
    tx.commit();
    return r.result;
  }

  void spend(int64_t amount) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_EQ(db::post_ledger_entry(tx, user_id, -amount, "RUB", "purchase", "spent"),
              db::ledger_outcome::applied);
    tx.commit();
  }
};

TEST_F(PaymentRefund, ATopUpRefundDebitsTheBalanceOnce) {
  EXPECT_EQ(refund("r-1", 10000), refund_result::taken_back);
  EXPECT_EQ(refund("r-1", 10000), refund_result::already_applied);
  EXPECT_EQ(q("SELECT balance FROM users"), "20000");
  EXPECT_EQ(q("SELECT status FROM payments"), "succeeded");
  EXPECT_EQ(refund("r-2", 20000), refund_result::taken_back);
  EXPECT_EQ(q("SELECT balance FROM users"), "0");
  EXPECT_EQ(q("SELECT status FROM payments"), "refunded");
  // The payer is told each time, in the refund's transaction.
  EXPECT_EQ(q("SELECT count(*) FROM telegram_outbox WHERE convert_from(body, 'UTF8')"
              " LIKE '%Refund of%'"),
            "2");
}

TEST_F(PaymentRefund, MoreThanWasPaidOrAnotherCurrencyIsRefusedAndChangesNothing) {
  EXPECT_EQ(refund("r-1", 30001), refund_result::mismatch);
  EXPECT_EQ(refund("r-1", 100, "USD"), refund_result::mismatch);
  EXPECT_EQ(refund("r-1", 0), refund_result::mismatch);
  EXPECT_EQ(refund("r-2", 20000), refund_result::taken_back);
  EXPECT_EQ(refund("r-3", 10001), refund_result::mismatch);
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
  EXPECT_EQ(q("SELECT balance FROM users"), "10000");
}

TEST_F(PaymentRefund, ASpentBalanceIsDebitedAsFarAsItGoesAndTheRestAudited) {
  spend(25000);
  EXPECT_EQ(refund("r-1", 30000), refund_result::taken_back);
  EXPECT_EQ(q("SELECT balance FROM users"), "0");
  EXPECT_EQ(q("SELECT status FROM payments"), "refunded");
  EXPECT_EQ(q("SELECT details::json->>'owed' FROM audit_log WHERE action = 'refund_shortfall'"),
            "25000");
}

TEST_F(PaymentRefund, ConcurrentDeliveriesOfOneRefundApplyItOnce) {
  std::atomic<int> taken{0}, replayed{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      auto r = refund("r-same", 20000);
      (r == refund_result::taken_back        ? taken
       : r == refund_result::already_applied ? replayed
                                             : other)++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(taken, 1);
  EXPECT_EQ(replayed, 5);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(q("SELECT balance FROM users"), "10000");
}

}  // namespace
}  // namespace vpnbot::payments
