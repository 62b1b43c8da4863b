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

  // An operator's YooKassa refund of 5000 of the 19900 that succeeded: recorded.
  void refund_part(const std::string& status, bool recorded) {
    query(
        "UPDATE payments SET provider = 'yookassa';"
        "INSERT INTO refund_requests (payment_id, amount_minor, currency, idempotence_key, status,"
        " provider_refund_id, operator_kind, settled_at) VALUES"
        " ('00000000-0000-4000-8000-000000000001', 5000, 'RUB', 'k1', '" +
        status + "', 'rf-1', 'api', " +
        (status == "succeeded" || status == "canceled" ? "now()" : "NULL") + ");" +
        (recorded ? "INSERT INTO payment_refunds (provider, refund_id, payment_id, amount) VALUES"
                    " ('yookassa', 'rf-1', '00000000-0000-4000-8000-000000000001', 5000);"
                  : "") +
        "SELECT 1");
  }
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

TEST_F(ConsistencyQuery, IsSilentOnARefundRequestThatSucceededAndWasRecorded) {
  refund_part("succeeded", true);
  EXPECT_EQ(broken(), "");
}

TEST_F(ConsistencyQuery, NamesARefundRequestThatSucceededUnrecorded) {
  refund_part("succeeded", false);
  EXPECT_EQ(broken(), "refund request succeeded without its recorded refund");
}

TEST_F(ConsistencyQuery, NamesARefundRequestLeftUnsettled) {
  refund_part("sent", false);
  EXPECT_EQ(broken(), "refund request not settled");
}

TEST_F(ConsistencyQuery, NamesARefundRequestedBeyondWhatIsLeft) {
  query(
      "UPDATE payments SET provider = 'yookassa';"
      "INSERT INTO payment_refunds (provider, refund_id, payment_id, amount) VALUES"
      " ('yookassa', 'rf-0', '00000000-0000-4000-8000-000000000001', 15000);"
      "INSERT INTO refund_requests (payment_id, amount_minor, currency, idempotence_key,"
      " operator_kind) VALUES ('00000000-0000-4000-8000-000000000001', 5000, 'RUB', 'k2', 'api');"
      "SELECT 1");
  EXPECT_EQ(broken(),
            "refund request not settled; refund requested beyond what is left of the payment");
}

}  // namespace
}  // namespace vpnbot::chaos
