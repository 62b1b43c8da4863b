// A paid subscription's whole life driven by the worker steps against
// PostgreSQL with a moved clock: reminders (each exactly once, also when an
// iteration is rolled back as by a crash), auto-renewal from the balance
// (short balance → one notice; after a top-up → renewed once), a fresh
// reminder schedule after renewal, expiry → disable, renewal → extend,
// removal after retention. Messages are asserted as outbox rows and panel
// work as jobs.

#include <gtest/gtest.h>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "app/plan_seeding.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "domain/workers/auto_renewal.hpp"
#include "domain/workers/expiry.hpp"
#include "domain/workers/payment_expiry.hpp"
#include "domain/workers/reminders.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::workers {
namespace {

using namespace std::chrono_literals;
using sys_clock = std::chrono::system_clock;

struct WorkersLifecycle : testing_support::fresh_database {
  notice_context ctx;
  reminder_settings reminders;
  expiry_settings expiry;
  auto_renewal_settings renewal;
  int64_t user_id = 0;
  sys_clock::time_point t0;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    pqxx::connection c(url);
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    user_id = db::upsert_user_on_start(tx, 41, "life", "Life", "en").user.id;
    tx.commit();
    t0 = sys_clock::now();
  }

  std::string q(const std::string& sql) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = tx.exec(sql);
    tx.commit();
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  // Buys m1 (30 days) through the finalizer, as a paid provider would.
  void buy() { buy_for(user_id); }
  void buy_for(int64_t buyer) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::new_payment p;
    p.user_id = buyer;
    p.purpose = "plan";
    p.plan_id = db::find_plan(tx, "m1")->id;
    p.provider = "cryptobot";
    p.amount = 19900;
    p.currency = "RUB";
    auto id = db::create_payment(tx, p);
    telegram::outbox_writer out(tx);
    payments::finalize_payment(tx, {id, "cryptobot", "inv-" + id, 19900, "RUB"}, {}, out);
    tx.commit();
  }

  // Runs one step at t0 + offset; returns how many messages it queued.
  template <class Step>
  int64_t run(Step step, sys_clock::duration offset, bool commit = true) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto report = step(tx, t0 + offset);
    if (commit) tx.commit();
    return static_cast<int64_t>(report.outbox_ids.size());
  }

  int64_t remind(sys_clock::duration at, bool commit = true) {
    return run([&](auto& tx, auto now) { return send_reminders(tx, now, ctx, reminders); }, at,
               commit);
  }
  int64_t expire(sys_clock::duration at) {
    return run([&](auto& tx, auto now) { return expire_subscriptions(tx, now, ctx, expiry); }, at);
  }
  int64_t renew(sys_clock::duration at) {
    return run([&](auto& tx, auto now) { return renew_from_balance(tx, now, ctx, renewal); }, at);
  }

  std::string last_text() {
    return q(
        "SELECT convert_from(body, 'UTF8')::json->>'text' FROM telegram_outbox"
        " ORDER BY id DESC LIMIT 1");
  }
  std::string jobs() { return q("SELECT string_agg(kind, ',' ORDER BY id) FROM jobs"); }
};

TEST_F(WorkersLifecycle, APaidSubscriptionsWholeLife) {
  buy();
  ASSERT_EQ(jobs(), "create_client");
  EXPECT_EQ(q("SELECT count(*) FROM telegram_outbox"), "1");  // payment received

  // Nothing to say a week in.
  EXPECT_EQ(remind(7 * 24h), 0);

  // Three days before the end: the 3-day reminder, once — also when the
  // first attempt was rolled back (a crash mid-iteration).
  EXPECT_EQ(remind(27 * 24h + 1h, /*commit=*/false), 1);
  EXPECT_EQ(remind(27 * 24h + 1h), 1);
  EXPECT_NE(last_text().find("in 3 days"), std::string::npos) << last_text();
  EXPECT_EQ(remind(27 * 24h + 2h), 0);
  EXPECT_EQ(remind(28 * 24h), 0);

  // One day before: the 1-day reminder, once.
  EXPECT_EQ(remind(29 * 24h + 1h), 1);
  EXPECT_NE(last_text().find("in 23 hours"), std::string::npos) << last_text();
  EXPECT_EQ(remind(29 * 24h + 2h), 0);

  // Auto-renewal with an empty balance: one notice per period, no money moved.
  q("UPDATE subscriptions SET auto_renew = true");
  EXPECT_EQ(renew(29 * 24h + 3h), 1);
  EXPECT_NE(last_text().find("needs 199 ₽"), std::string::npos) << last_text();
  EXPECT_EQ(renew(29 * 24h + 4h), 0);
  EXPECT_EQ(q("SELECT count(*) FROM balance_ledger"), "0");

  // After a top-up in time the next iteration renews, exactly once.
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::post_ledger_entry(tx, user_id, 25000, "RUB", "topup", "test-topup");
    tx.commit();
  }
  auto before = q("SELECT expires_at FROM subscriptions");
  EXPECT_EQ(renew(29 * 24h + 5h), 1);
  EXPECT_NE(last_text().find("renewed from your balance"), std::string::npos) << last_text();
  EXPECT_EQ(renew(29 * 24h + 6h), 0);
  EXPECT_EQ(q("SELECT balance FROM users"), "5100");
  EXPECT_EQ(q("SELECT expires_at = '" + before +
              "'::timestamptz + interval '30 days' FROM subscriptions"),
            "t");
  EXPECT_EQ(jobs(), "create_client,extend_client");

  // The renewal starts a fresh schedule for the new expiry.
  EXPECT_EQ(remind(57 * 24h + 1h), 1);
  EXPECT_EQ(remind(59 * 24h + 1h), 1);
  EXPECT_EQ(q("SELECT count(*) FROM notifications WHERE kind = 'reminder'"), "4");

  // It ends: expired, the client disabled (kept), one notice.
  q("UPDATE subscriptions SET auto_renew = false");
  EXPECT_EQ(expire(60 * 24h + 1h), 1);
  EXPECT_EQ(q("SELECT status FROM subscriptions"), "expired");
  EXPECT_EQ(jobs(), "create_client,extend_client,disable_client");
  EXPECT_EQ(expire(60 * 24h + 2h), 0);
  EXPECT_EQ(jobs(), "create_client,extend_client,disable_client");

  // Bought again: active, extended (the panel job re-enables the same client).
  buy();
  EXPECT_EQ(q("SELECT status FROM subscriptions"), "active");
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(jobs(), "create_client,extend_client,disable_client,extend_client");

  // Expired once more and past retention: removed from the panel, once.
  auto end = q("SELECT extract(epoch from expires_at - now())::bigint FROM subscriptions");
  auto after_end = std::chrono::seconds(std::stoll(end)) + 1h;
  EXPECT_EQ(expire(after_end), 1);
  EXPECT_EQ(expire(after_end + 30 * 24h), 0);
  EXPECT_EQ(jobs(),
            "create_client,extend_client,disable_client,extend_client,disable_client,"
            "remove_client");
  EXPECT_EQ(expire(after_end + 31 * 24h), 0);
  EXPECT_EQ(jobs(),
            "create_client,extend_client,disable_client,extend_client,disable_client,"
            "remove_client");
}

// Auto-renewal takes only rows it can act on. With a batch of one, a
// subscription ending first whose plan has no price in its owner's balance
// currency, then one whose owner is short (told once, with Top up), hold
// back nobody: the funded one behind them is renewed.
TEST_F(WorkersLifecycle, ShortBalancesDoNotStarveTheRenewalsBehindThem) {
  ctx.batch = 1;
  int64_t no_price = 0;
  int64_t funded = 0;
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    no_price = db::upsert_user_on_start(tx, 42, "euro", "Euro", "en").user.id;
    funded = db::upsert_user_on_start(tx, 43, "rich", "Rich", "en").user.id;
    tx.commit();
  }
  buy_for(no_price);  // ends first
  buy_for(user_id);   // short, ends second
  buy_for(funded);    // ends last
  q("UPDATE users SET balance_currency = 'EUR' WHERE id = " + std::to_string(no_price));
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::post_ledger_entry(tx, funded, 25000, "RUB", "topup", "test-topup-rich");
    tx.commit();
  }
  q("UPDATE subscriptions SET auto_renew = true");

  EXPECT_EQ(renew(29 * 24h + 3h), 1);
  EXPECT_NE(last_text().find("needs 199 ₽"), std::string::npos) << last_text();
  EXPECT_EQ(renew(29 * 24h + 4h), 1);
  EXPECT_NE(last_text().find("renewed from your balance"), std::string::npos) << last_text();
  EXPECT_EQ(renew(29 * 24h + 5h), 0);
  EXPECT_EQ(renew(29 * 24h + 6h), 0);

  EXPECT_EQ(q("SELECT balance FROM users WHERE id = " + std::to_string(funded)), "5100");
  EXPECT_EQ(q("SELECT string_agg(user_id::text, ',') FROM balance_ledger"
              " WHERE reason = 'auto_renewal'"),
            std::to_string(funded));
  // The short one: exactly one notice this period, with the Top up button.
  auto short_notices =
      "SELECT count(*) FROM telegram_outbox WHERE convert_from(body, 'UTF8')::json->>'chat_id' ="
      " '41' AND convert_from(body, 'UTF8')::json->>'text' LIKE '%needs 199%'";
  EXPECT_EQ(q(short_notices), "1");
  EXPECT_EQ(q(std::string(short_notices) +
              " AND convert_from(body, 'UTF8')::json->>'reply_markup' LIKE '%Top up%'"
              " AND convert_from(body, 'UTF8')::json->>'reply_markup' LIKE '%\"m:topup\"%'"),
            "1");
  EXPECT_EQ(q("SELECT count(*) FROM telegram_outbox WHERE convert_from(body, 'UTF8')::json->>"
              "'chat_id' = '42'"),
            "1");  // "payment received" only
}

TEST_F(WorkersLifecycle, TrialEndingAndEndedNoticesOnce) {
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto plan = db::find_plan(tx, "trial");
    subscriptions::provision(tx, user_id, *plan, "trial", "trial:test");
    tx.commit();
  }
  EXPECT_EQ(remind(1h), 0);
  EXPECT_EQ(remind(2 * 24h + 1h), 1);
  EXPECT_NE(last_text().find("free trial ends"), std::string::npos) << last_text();
  EXPECT_EQ(remind(2 * 24h + 2h), 0);
  EXPECT_EQ(expire(3 * 24h + 1h), 1);
  EXPECT_NE(last_text().find("free trial has ended"), std::string::npos) << last_text();
  EXPECT_EQ(expire(3 * 24h + 2h), 0);
  EXPECT_EQ(jobs(), "create_client,disable_client");
}

TEST_F(WorkersLifecycle, PendingPaymentsExpireOnceWithANotice) {
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::new_payment p;
    p.user_id = user_id;
    p.purpose = "topup";
    p.provider = "yookassa";
    p.amount = 10000;
    p.currency = "RUB";
    db::create_payment(tx, p);
    tx.commit();
  }
  auto expire_payments_at = [&](sys_clock::duration at) {
    return run([&](auto& tx, auto now) { return expire_payments(tx, now, ctx); }, at);
  };
  EXPECT_EQ(expire_payments_at(30min), 0);
  EXPECT_EQ(expire_payments_at(61min), 1);
  EXPECT_EQ(q("SELECT status FROM payments"), "expired");
  EXPECT_EQ(expire_payments_at(62min), 0);
}

}  // namespace
}  // namespace vpnbot::workers
