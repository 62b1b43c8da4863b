#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "adapters/db/ledger_repository.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::db {
namespace {

using StorageLedger = testing_support::fresh_database;

void make_users(const std::string& url, int n) {
  pqxx::connection c{url};
  pqxx::work tx{c};
  for (int i = 1; i <= n; ++i)
    tx.exec_params("INSERT INTO users (id, telegram_id, referral_code) VALUES ($1, $2, $3)", i,
                   1000 + i, "ledger" + std::to_string(i));
  tx.commit();
}

TEST_F(StorageLedger, SumEqualsBalanceAfterConcurrentCreditsAndDebits) {
  migrate_schema();
  make_users(url, 2);
  std::atomic<int> refused{0};
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      pqxx::connection c{url};
      std::mt19937 rng(static_cast<unsigned>(t));
      std::uniform_int_distribution<int> amount(1, 300);
      std::uniform_int_distribution<int> user(1, 2);
      for (int i = 0; i < 150; ++i) {
        // Debits are as likely as credits, so overdrafts keep being tried.
        int64_t delta = (rng() % 2 ? 1 : -1) * amount(rng);
        pqxx::work tx{c};
        auto outcome =
            post_ledger_entry(tx, user(rng), delta, "RUB", delta > 0 ? "topup" : "purchase",
                              "t" + std::to_string(t) + "-" + std::to_string(i));
        tx.commit();
        if (outcome == ledger_outcome::insufficient_funds) ++refused;
        if (outcome == ledger_outcome::applied) ++applied;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_GT(refused.load(), 0) << "no overdraft was attempted; the test proves nothing";
  pqxx::connection c{url};
  pqxx::work tx{c};
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM balance_ledger")[0].as<int>(), applied.load());
  auto mismatches = tx.exec(
      "SELECT u.id FROM users u LEFT JOIN balance_ledger l ON l.user_id = u.id "
      "GROUP BY u.id, u.balance HAVING u.balance <> coalesce(sum(l.delta), 0) OR u.balance < 0");
  EXPECT_TRUE(mismatches.empty());
}

TEST_F(StorageLedger, ReplayedRefIsAppliedOnceAndOverdraftKeepsTheTransactionUsable) {
  migrate_schema();
  make_users(url, 1);
  pqxx::connection c{url};
  pqxx::work tx{c};
  EXPECT_EQ(post_ledger_entry(tx, 1, 1000, "RUB", "topup", "payment:p1"), ledger_outcome::applied);
  EXPECT_EQ(post_ledger_entry(tx, 1, 1000, "RUB", "topup", "payment:p1"),
            ledger_outcome::already_applied);
  EXPECT_EQ(post_ledger_entry(tx, 1, -5000, "RUB", "purchase", "buy:1"),
            ledger_outcome::insufficient_funds);
  // The refused debit did not spoil the transaction it ran in.
  EXPECT_EQ(post_ledger_entry(tx, 1, -400, "RUB", "purchase", "buy:2"), ledger_outcome::applied);
  tx.commit();
  pqxx::work check{c};
  EXPECT_EQ(balance_of(check, 1), 600);
  auto entries = recent_ledger_entries(check, 1, 10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].ref, "buy:2");
  EXPECT_EQ(entries[1].delta, 1000);
}

}  // namespace
}  // namespace vpnbot::db
