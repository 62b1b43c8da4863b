// consistency.sql itself: silent on a consistent payment, and naming the
// invariant a damaged copy breaks, so a green chaos run means something.

#include <gtest/gtest.h>

#include <memory>

#include "chaos/chaos_checks.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::chaos {
namespace {

struct ConsistencyQuery : testing_support::fresh_database {
  void SetUp() override {
    fresh_database::SetUp();
    if (url.empty()) return;
    migrate_schema();
    // One user who paid for 30 days: the payment, its job, the subscription.
    query(
        "INSERT INTO users (id, telegram_id, referral_code) VALUES (1, 100, 'code0001');"
        "INSERT INTO plans (id, code, titles, duration_days) VALUES (1, 'm1', '{\"en\":\"m\"}', "
        "30);"
        "INSERT INTO subscriptions (id, user_id, plan_id, kind, expires_at, client_uuid,"
        " client_email, sub_id) VALUES (1, 1, 1, 'paid', now() + interval '30 days',"
        " gen_random_uuid(), 'tg100-1', 'abcdefghij012345');"
        "INSERT INTO payments (id, user_id, purpose, plan_id, provider, amount, currency, status,"
        " granted_expiry, finalized_at) VALUES ('00000000-0000-4000-8000-000000000001', 1,"
        " 'plan', 1, 'cryptobot', 19900, 'RUB', 'succeeded', now() + interval '30 days', now());"
        "INSERT INTO jobs (kind, subject_id, state, idempotency_key) VALUES ('create_client', 1,"
        " 'done', 'payment:00000000-0000-4000-8000-000000000001');"
        "SELECT 1");
  }

  std::string broken() {
    std::string names;
    for (const auto& b : run_consistency_query(db(), VPNBOT_CHAOS_CONSISTENCY_SQL))
      names += (names.empty() ? "" : "; ") + b.name;
    return names;
  }

  const chaos_database& db() {
    if (!database) database = std::make_unique<chaos_database>(url);
    return *database;
  }
  std::unique_ptr<chaos_database> database;
};

TEST_F(ConsistencyQuery, IsSilentOnAConsistentPayment) {
  EXPECT_EQ(broken(), "");
}

TEST_F(ConsistencyQuery, NamesAPaymentWithoutItsActivationJob) {
  query("DELETE FROM jobs RETURNING 1");
  EXPECT_EQ(broken(), "plan payment without exactly one activation job and a granted expiry");
}

TEST_F(ConsistencyQuery, NamesTimeGrantedTwice) {
  query("UPDATE subscriptions SET expires_at = now() + interval '60 days' RETURNING 1");
  EXPECT_EQ(broken(), "paid time beyond what was paid for");
}

TEST_F(ConsistencyQuery, NamesAPaymentRefundedWithoutItsRefunds) {
  query("UPDATE payments SET status = 'refunded' RETURNING 1");
  EXPECT_EQ(broken(), "refunded status disagrees with the refunds");
}

}  // namespace
}  // namespace vpnbot::chaos
