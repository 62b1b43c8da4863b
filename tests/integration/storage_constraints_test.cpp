// Every invariant the schema promises, each refused by the database itself:
// one case per rule, against a baseline of valid rows.

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "support/fresh_database.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* baseline = R"(
INSERT INTO users (id, telegram_id, referral_code) VALUES
  (1, 100, 'code0001'), (2, 200, 'code0002'), (3, 300, 'code0003');
INSERT INTO plans (id, code, titles, duration_days) VALUES (1, 'm1', '{"en":"1 month"}', 30);
INSERT INTO subscriptions (id, user_id, plan_id, kind, expires_at, client_uuid, client_email, sub_id)
  VALUES (1, 1, 1, 'trial', now() + interval '3 days', '11111111-1111-4111-8111-111111111111',
          'tg100-1', 'aaaaaaaaaaaaaaaa');
INSERT INTO payments (id, user_id, purpose, plan_id, provider, provider_payment_id, amount, currency)
  VALUES ('22222222-2222-4222-8222-222222222222', 1, 'plan', 1, 'yookassa', 'yk-1', 19900, 'RUB');
INSERT INTO payments (id, user_id, purpose, plan_id, provider, provider_payment_id, amount, currency,
                      status, granted_expiry, finalized_at)
  VALUES ('33333333-3333-4333-8333-333333333333', 1, 'plan', 1, 'cryptobot', 'cb-1', 19900, 'RUB',
          'succeeded', now() + interval '30 days', now());
INSERT INTO webhook_events (provider, event_id, raw_body, signature_ok) VALUES ('yookassa', 'ev-1', 'x', true);
INSERT INTO jobs (kind, subject_id, idempotency_key) VALUES ('create_client', 1, 'job-1');
INSERT INTO notifications (user_id, kind, dedupe_key) VALUES (1, 'reminder', 'n-1');
INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) VALUES (1, 500, 'RUB', 'topup', 'l-1');
INSERT INTO referrals (referrer_id, referee_id) VALUES (2, 1);
SELECT setval('users_id_seq', 10), setval('plans_id_seq', 10), setval('subscriptions_id_seq', 10);
)";

struct refused_case {
  const char* name;
  const char* sql;
};

std::ostream& operator<<(std::ostream& os, const refused_case& c) {
  return os << c.name;
}

class StorageConstraints : public testing_support::fresh_database,
                           public ::testing::WithParamInterface<refused_case> {
 protected:
  void SetUp() override {
    fresh_database::SetUp();
    if (IsSkipped()) return;
    migrate_schema();
    pqxx::connection c{url};
    pqxx::work tx{c};
    tx.exec(baseline);
    tx.commit();
  }
};

TEST_P(StorageConstraints, Refused) {
  pqxx::connection c{url};
  pqxx::work tx{c};
  EXPECT_THROW(tx.exec(GetParam().sql), pqxx::sql_error) << GetParam().sql;
}

const refused_case cases[] = {
    {"DuplicateTelegramId",
     "INSERT INTO users (telegram_id, referral_code) VALUES (100, 'code0009')"},
    {"DuplicateReferralCode",
     "INSERT INTO users (telegram_id, referral_code) VALUES (900, 'code0001')"},
    {"MalformedReferralCode", "INSERT INTO users (telegram_id, referral_code) VALUES (900, 'a b')"},
    {"SelfReferredUser", "UPDATE users SET referred_by = 1 WHERE id = 1"},
    {"UnknownLanguage", "UPDATE users SET language = 'de' WHERE id = 1"},
    {"SecondTrial",
     "INSERT INTO subscriptions (user_id, plan_id, kind, expires_at, client_uuid, client_email, "
     "sub_id) "
     "VALUES (1, 1, 'trial', now() + interval '3 days', gen_random_uuid(), 'tg100-2', "
     "'bbbbbbbbbbbbbbbb')"},
    {"DuplicateClientUuid",
     "INSERT INTO subscriptions (user_id, plan_id, kind, expires_at, client_uuid, client_email, "
     "sub_id) "
     "VALUES (2, 1, 'paid', now() + interval '3 days', '11111111-1111-4111-8111-111111111111', "
     "'tg200-2', 'cccccccccccccccc')"},
    {"DuplicateClientEmailIgnoringCase",
     "INSERT INTO subscriptions (user_id, plan_id, kind, expires_at, client_uuid, client_email, "
     "sub_id) "
     "VALUES (2, 1, 'paid', now() + interval '3 days', gen_random_uuid(), 'TG100-1', "
     "'dddddddddddddddd')"},
    {"DuplicateSubId",
     "INSERT INTO subscriptions (user_id, plan_id, kind, expires_at, client_uuid, client_email, "
     "sub_id) "
     "VALUES (2, 1, 'paid', now() + interval '3 days', gen_random_uuid(), 'tg200-3', "
     "'aaaaaaaaaaaaaaaa')"},
    {"MalformedSubId", "UPDATE subscriptions SET sub_id = 'ABC' WHERE id = 1"},
    {"ExpiryBeforeStart", "UPDATE subscriptions SET expires_at = starts_at - interval '1 day'"},
    {"TrialWithAutoRenew", "UPDATE subscriptions SET auto_renew = true WHERE id = 1"},
    {"UnknownSubscriptionStatus", "UPDATE subscriptions SET status = 'paused'"},
    {"DuplicateProviderPaymentId",
     "INSERT INTO payments (user_id, purpose, plan_id, provider, provider_payment_id, amount, "
     "currency) "
     "VALUES (2, 'plan', 1, 'yookassa', 'yk-1', 100, 'RUB')"},
    {"StarsNotInXtr",
     "INSERT INTO payments (user_id, purpose, plan_id, provider, amount, currency) "
     "VALUES (2, 'plan', 1, 'stars', 100, 'RUB')"},
    {"NonPositiveAmount",
     "INSERT INTO payments (user_id, purpose, plan_id, provider, amount, currency) "
     "VALUES (2, 'plan', 1, 'yookassa', 0, 'RUB')"},
    {"PlanPaymentWithoutPlan",
     "INSERT INTO payments (user_id, purpose, provider, amount, currency) "
     "VALUES (2, 'plan', 'yookassa', 100, 'RUB')"},
    {"SucceededWithoutGrantedExpiry",
     "UPDATE payments SET status = 'succeeded', finalized_at = now() "
     "WHERE id = '22222222-2222-4222-8222-222222222222'"},
    {"PendingWithFinalizedAt",
     "UPDATE payments SET finalized_at = now() WHERE id = '22222222-2222-4222-8222-222222222222'"},
    {"FinalPaymentAmountChanged",
     "UPDATE payments SET amount = 1 WHERE id = '33333333-3333-4333-8333-333333333333'"},
    {"FinalPaymentReopened",
     "UPDATE payments SET status = 'pending', finalized_at = NULL, granted_expiry = NULL "
     "WHERE id = '33333333-3333-4333-8333-333333333333'"},
    {"FinalPaymentExpiryChanged",
     "UPDATE payments SET granted_expiry = granted_expiry + interval '30 days' "
     "WHERE id = '33333333-3333-4333-8333-333333333333'"},
    {"DuplicateWebhookEvent",
     "INSERT INTO webhook_events (provider, event_id, raw_body, signature_ok) "
     "VALUES ('yookassa', 'ev-1', 'y', true)"},
    {"DuplicateJobKey",
     "INSERT INTO jobs (kind, subject_id, idempotency_key) VALUES ('extend_client', 2, 'job-1')"},
    {"UnknownJobKind",
     "INSERT INTO jobs (kind, subject_id, idempotency_key) VALUES ('launch', 2, 'job-2')"},
    {"RunningJobWithoutLease", "UPDATE jobs SET state = 'running'"},
    {"DuplicateNotification",
     "INSERT INTO notifications (user_id, kind, dedupe_key) VALUES (2, 'reminder', 'n-1')"},
    {"SentNotificationWithoutTime", "UPDATE notifications SET state = 'sent'"},
    {"LedgerUpdate", "UPDATE balance_ledger SET delta = 100000"},
    {"LedgerDelete", "DELETE FROM balance_ledger"},
    {"LedgerTruncate", "TRUNCATE balance_ledger"},
    {"DirectBalanceUpdate", "UPDATE users SET balance = 1000000 WHERE id = 1"},
    {"Overdraft",
     "INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) "
     "VALUES (1, -501, 'RUB', 'purchase', 'l-2')"},
    {"LedgerCurrencyMismatch",
     "INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) "
     "VALUES (1, 10, 'USD', 'topup', 'l-3')"},
    {"ZeroLedgerDelta",
     "INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) "
     "VALUES (1, 0, 'RUB', 'topup', 'l-4')"},
    {"DuplicateLedgerRef",
     "INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) "
     "VALUES (2, 10, 'RUB', 'topup', 'l-1')"},
    {"SelfReferral", "INSERT INTO referrals (referrer_id, referee_id) VALUES (3, 3)"},
    {"RefereeReferredTwice", "INSERT INTO referrals (referrer_id, referee_id) VALUES (3, 1)"},
};

INSTANTIATE_TEST_SUITE_P(Schema, StorageConstraints, ::testing::ValuesIn(cases),
                         [](const auto& info) { return std::string(info.param.name); });

// The rules refuse only what they should: the legitimate moves still work.
class StorageConstraintsAllow : public StorageConstraints {};

TEST_F(StorageConstraintsAllow, LegitimateChangesPass) {
  pqxx::connection c{url};
  pqxx::work tx{c};
  tx.exec(
      "UPDATE payments SET status = 'refunded' WHERE id = '33333333-3333-4333-8333-333333333333'");
  tx.exec(
      "UPDATE payments SET status = 'succeeded', finalized_at = now(), granted_expiry = now() "
      "WHERE id = '22222222-2222-4222-8222-222222222222'");
  tx.exec(
      "INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) "
      "VALUES (1, -500, 'RUB', 'purchase', 'l-9')");
  EXPECT_EQ(tx.exec1("SELECT balance FROM users WHERE id = 1")[0].as<long>(), 0);
  tx.exec(
      "INSERT INTO subscriptions (user_id, plan_id, kind, expires_at, client_uuid, client_email, "
      "sub_id, auto_renew) VALUES (1, 1, 'paid', now() + interval '30 days', gen_random_uuid(), "
      "'tg100-5', 'eeeeeeeeeeeeeeee', true)");
  tx.commit();
}

}  // namespace
}  // namespace vpnbot::db
