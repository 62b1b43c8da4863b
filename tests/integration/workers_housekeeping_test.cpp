// Housekeeping (old rows trimmed, idle conversations reset) and the
// cluster lease (one node runs the workers; another takes over when its
// lease runs out), against PostgreSQL.

#include <gtest/gtest.h>

#include <thread>

#include "actors/workers/periodic_worker.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/workers/housekeeping.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::workers {
namespace {

using namespace std::chrono_literals;
using sys_clock = std::chrono::system_clock;

struct WorkersHousekeeping : testing_support::fresh_database {
  std::string scalar(const std::string& sql) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = tx.exec(sql);
    tx.commit();
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }
};

TEST_F(WorkersHousekeeping, OldRowsAreTrimmedAndIdleConversationsReset) {
  migrate_schema();
  pqxx::connection c(url);
  {
    pqxx::work tx(c);
    auto fresh = db::upsert_user_on_start(tx, 501, "", "F", "en").user;
    auto idle = db::upsert_user_on_start(tx, 502, "", "I", "en").user;
    tx.exec(
        "INSERT INTO telegram_updates (update_id, user_id, raw, state, received_at) VALUES"
        " (1, 501, '{}', 'handled', now() - interval '8 days'),"
        " (2, 501, '{}', 'skipped', now() - interval '8 days'),"
        " (3, 501, '{}', 'received', now() - interval '8 days'),"  // never handled: kept
        " (4, 501, '{}', 'handled', now() - interval '1 day'),"
        " (5, 501, '{\"message\": {\"successful_payment\": {}}}', 'skipped',"
        "  now() - interval '8 days'),"  // the only record of a charge: kept
        " (6, 501, '{\"message\": {\"successful_payment\": {}}}', 'handled',"
        "  now() - interval '8 days')");
    tx.exec(
        "INSERT INTO telegram_outbox (chat_id, lane, method, content_type, body, state,"
        " created_at, sent_at) VALUES"
        " (501, 1, 'sendMessage', 'application/json', '{}', 'sent', now() - interval '8 days',"
        "  now() - interval '8 days'),"
        " (501, 1, 'sendMessage', 'application/json', '{}', 'queued', now() - interval '8 days',"
        "  NULL),"  // not finished: kept
        " (501, 1, 'sendMessage', 'application/json', '{}', 'in_doubt', now() - interval '1 day',"
        "  NULL)");
    tx.exec_params(
        "INSERT INTO sessions (user_id, fsm_state, data, updated_at) VALUES"
        " ($1, 'payment_method', '{\"plan\":\"m1\"}', now() - interval '1 day'),"
        " ($2, 'awaiting_payment', '{\"payment\":\"x\"}', now() - interval '40 days')",
        fresh.id, idle.id);
    tx.commit();
  }
  housekeeping_settings settings;  // 7 days of history, 30 days of session
  {
    pqxx::work tx(c);
    auto report = keep_house(tx, sys_clock::now(), settings);
    tx.commit();
    EXPECT_EQ(report.processed, 5);  // 3 updates, 1 outbox row, 1 session
  }
  EXPECT_EQ(
      scalar("SELECT string_agg(update_id::text, ',' ORDER BY update_id) FROM telegram_updates"),
      "3,4,5");
  EXPECT_EQ(scalar("SELECT string_agg(state, ',' ORDER BY id) FROM telegram_outbox"),
            "queued,in_doubt");
  EXPECT_EQ(scalar("SELECT fsm_state || data::text FROM sessions s JOIN users u ON u.id = s.user_id"
                   " WHERE u.telegram_id = 502"),
            "main{}");
  EXPECT_EQ(scalar("SELECT fsm_state FROM sessions s JOIN users u ON u.id = s.user_id"
                   " WHERE u.telegram_id = 501"),
            "payment_method");
  // A moved clock: a week later the rest of the history goes too.
  pqxx::work tx(c);
  EXPECT_EQ(keep_house(tx, sys_clock::now() + 7 * 24h, settings).processed, 2);
}

TEST_F(WorkersHousekeeping, UnverifiedNotificationsExpireAndSignedOnesStay) {
  migrate_schema();
  pqxx::connection c(url);
  {
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO webhook_events (provider, event_id, raw_body, signature_ok, received_at,"
        " processed_at) VALUES"
        " ('cryptobot', 'forged-old', 'x', false, now() - interval '8 days', NULL),"
        " ('cryptobot', 'forged-new', 'x', false, now() - interval '6 days', NULL),"
        " ('cryptobot', 'signed-old', 'x', true, now() - interval '400 days', now()),"
        " ('cryptobot', 'signed-open', 'x', true, now() - interval '400 days', NULL)");
    tx.commit();
  }
  housekeeping_settings settings;  // unverified notifications: 7 days
  {
    pqxx::work tx(c);
    EXPECT_EQ(keep_house(tx, sys_clock::now(), settings).processed, 1);
    tx.commit();
  }
  EXPECT_EQ(scalar("SELECT string_agg(event_id, ',' ORDER BY id) FROM webhook_events"),
            "forged-new,signed-old,signed-open");
  settings.keep_unverified_webhooks = 24h;
  {
    pqxx::work tx(c);
    EXPECT_EQ(keep_house(tx, sys_clock::now(), settings).processed, 1);
    tx.commit();
  }
  EXPECT_EQ(scalar("SELECT string_agg(event_id, ',' ORDER BY id) FROM webhook_events"),
            "signed-old,signed-open");
}

TEST_F(WorkersHousekeeping, RememberedAdminApiAnswersExpireAfterTheHistory) {
  migrate_schema();
  pqxx::connection c(url);
  {
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO api_idempotency (key, method, path, status, body, created_at) VALUES"
        " ('old', 'POST', '/api/v1/users/1/ban', 200, '{}', now() - interval '8 days'),"
        " ('new', 'POST', '/api/v1/users/1/ban', 200, '{}', now() - interval '6 days')");
    tx.commit();
  }
  housekeeping_settings settings;  // 7 days of history
  {
    pqxx::work tx(c);
    EXPECT_EQ(keep_house(tx, sys_clock::now(), settings).processed, 1);
    tx.commit();
  }
  EXPECT_EQ(scalar("SELECT string_agg(key, ',') FROM api_idempotency"), "new");
}

TEST_F(WorkersHousekeeping, OneNodeHoldsTheWorkersLeaseAnotherTakesOverWhenItLapses) {
  migrate_schema();
  pqxx::connection c(url);
  int ran_a = 0;
  int ran_b = 0;
  worker_step count_a = [&](pqxx::dbtransaction&, sys_clock::time_point) {
    ++ran_a;
    return step_report{};
  };
  worker_step count_b = [&](pqxx::dbtransaction&, sys_clock::time_point) {
    ++ran_b;
    return step_report{};
  };
  auto iterate = [&](const std::string& owner, const worker_step& step) {
    pqxx::work tx(c);
    auto r = run_leased(tx, "workers", owner, 1s, step, sys_clock::now());
    tx.commit();
    return r.standby;
  };
  EXPECT_FALSE(iterate("node-a", count_a));
  EXPECT_TRUE(iterate("node-b", count_b));
  EXPECT_FALSE(iterate("node-a", count_a));  // renewed
  EXPECT_TRUE(iterate("node-b", count_b));
  EXPECT_EQ(ran_a, 2);
  EXPECT_EQ(ran_b, 0);
  // node-a stops renewing; once its lease has run out, node-b takes over.
  std::this_thread::sleep_for(1100ms);
  EXPECT_FALSE(iterate("node-b", count_b));
  EXPECT_TRUE(iterate("node-a", count_a));
  EXPECT_EQ(ran_a, 2);
  EXPECT_EQ(ran_b, 1);
}

}  // namespace
}  // namespace vpnbot::workers
