// The database pool with real actors and a real PostgreSQL: answers, bounds,
// deadlines, statement timeouts and a connection killed mid-call.

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "actors/storage/db_request.hpp"
#include "actors/storage/storage_supervisor.hpp"
#include "actors/supervisor.hpp"
#include "adapters/db/db_error.hpp"
#include "messages/type_ids.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::storage {
namespace {

using namespace std::chrono_literals;

struct StoragePool : testing_support::fresh_database {
  metrics::registry registry;
  components wiring;
  std::unique_ptr<caf::actor_system_config> cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::actor root;

  void start(unsigned pool_size, config::duration request_timeout = 10s,
             config::duration statement_timeout = 5s, unsigned max_queue = 100) {
    migrate_schema();
    config::settings s;
    s.database.pool_size = pool_size;
    s.database.request_timeout = request_timeout;
    s.database.statement_timeout = statement_timeout;
    s.database.max_queue = max_queue;
    s.supervision.backoff_min = 10ms;
    s.supervision.backoff_max = 100ms;
    cfg = std::make_unique<caf::actor_system_config>();
    register_message_types(*cfg);
    sys = std::make_unique<caf::actor_system>(*cfg);
    supervision::supervisor_spec spec;
    spec.name = "root";
    spec.limits = s.supervision;
    spec.children.push_back(storage_child(s, url, wiring, registry));
    root = supervision::spawn_supervisor(*sys, std::move(spec), registry);
    caf::scoped_actor self{*sys};
    for (int i = 0; i < 200; ++i) {
      if (ping(self)) return;
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "the pool never answered";
  }

  bool ping(caf::scoped_actor& self) {
    auto r = db_run<int>(
        self, wiring.db, "ping",
        [](pqxx::transaction_base& tx) { return tx.exec1("SELECT 1")[0].as<int>(); }, 2s);
    return r && *r == 1;
  }

  void TearDown() override {
    if (sys) {
      caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
      sys.reset();
    }
    fresh_database::TearDown();
  }
};

// Holds a PostgreSQL advisory lock from outside the pool, so a pool call can
// be kept busy for exactly as long as a test wants.
struct lock_holder {
  pqxx::connection conn;
  explicit lock_holder(const std::string& url) : conn(url) {
    pqxx::nontransaction(conn).exec("SELECT pg_advisory_lock(4242)");
  }
  void release() { pqxx::nontransaction(conn).exec("SELECT pg_advisory_unlock(4242)"); }
};

auto wait_for_lock = [](pqxx::transaction_base& tx) {
  tx.exec("SELECT pg_advisory_xact_lock(4242)");
  return 1;
};

TEST_F(StoragePool, ManyCallsAllAnswered) {
  start(3);
  caf::scoped_actor self{*sys};
  for (int i = 0; i < 60; ++i)
    self->send(wiring.db->get(), make_db_call("count", [i](pqxx::transaction_base& tx) {
                 return tx.exec_params1("SELECT $1::int * 2", i)[0].as<int>();
               }));
  int answered = 0;
  long sum = 0;
  self->receive_for(answered, 60)([&](db_value& v) { sum += std::any_cast<int>(v.value); },
                                  [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
  EXPECT_EQ(answered, 60);
  EXPECT_EQ(sum, 2 * (59 * 60 / 2));
  EXPECT_EQ(registry.value("vpnbot_db_query_duration_seconds", {{"query", "count"}}), 60);
}

TEST_F(StoragePool, FullQueueIsRefusedAtOnce) {
  start(1, 10s, 5s, 1);
  lock_holder lock{url};
  caf::scoped_actor self{*sys};
  auto pool = wiring.db->get();
  self->send(pool, make_db_call("busy", wait_for_lock));  // runs, blocked on the lock
  std::this_thread::sleep_for(100ms);
  self->send(pool, make_db_call("queued", wait_for_lock));  // waits in the queue
  std::this_thread::sleep_for(100ms);
  auto refused = db_run<int>(self, wiring.db, "refused", wait_for_lock, 10s);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error() == db::db_errc::overloaded) << caf::to_string(refused.error());
  lock.release();
  int done = 0;
  self->receive_for(done, 2)([](db_value&) {},
                             [](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
  EXPECT_EQ(registry.value("vpnbot_db_refused_total"), 1);
}

TEST_F(StoragePool, CallThatWaitsTooLongGetsATimeoutNotSilence) {
  start(1, 300ms);
  lock_holder lock{url};
  caf::scoped_actor self{*sys};
  auto busy = db_run<int>(self, wiring.db, "busy", wait_for_lock, 5s);
  ASSERT_FALSE(busy);
  EXPECT_TRUE(busy.error() == db::db_errc::timeout) << caf::to_string(busy.error());
  auto queued = db_run<int>(self, wiring.db, "queued", wait_for_lock, 5s);
  ASSERT_FALSE(queued);
  EXPECT_TRUE(queued.error() == db::db_errc::timeout) << caf::to_string(queued.error());
  lock.release();
}

TEST_F(StoragePool, StatementTimeoutCancelsALongQueryAndTheWorkerStaysUsable) {
  start(1, 10s, 200ms);
  caf::scoped_actor self{*sys};
  auto slow = db_run<int>(
      self, wiring.db, "slow",
      [](pqxx::transaction_base& tx) {
        tx.exec("SELECT pg_sleep(5)");
        return 1;
      },
      5s);
  ASSERT_FALSE(slow);
  EXPECT_TRUE(slow.error() == db::db_errc::timeout) << caf::to_string(slow.error());
  EXPECT_TRUE(ping(self));
}

TEST_F(StoragePool, ConstraintViolationIsAClearErrorAndRollsBack) {
  start(1);
  caf::scoped_actor self{*sys};
  auto r = db_run<int>(
      self, wiring.db, "dup",
      [](pqxx::transaction_base& tx) {
        tx.exec("INSERT INTO leases (name, owner, expires_at) VALUES ('x', 'a', now())");
        tx.exec("INSERT INTO leases (name, owner, expires_at) VALUES ('x', 'b', now())");
        return 1;
      },
      5s);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error() == db::db_errc::constraint_violation) << caf::to_string(r.error());
  auto count = db_run<long>(
      self, wiring.db, "count",
      [](pqxx::transaction_base& tx) {
        return tx.exec1("SELECT count(*) FROM leases")[0].as<long>();
      },
      5s);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0);
}

TEST_F(StoragePool, KilledBackendFailsThatCallThenTheWorkerReconnects) {
  start(1);
  caf::scoped_actor self{*sys};
  // A half-written transaction: a row inserted, then a long wait.
  self->send(wiring.db->get(), make_db_call("doomed", [](pqxx::transaction_base& tx) {
               tx.exec("INSERT INTO audit_log (actor, action, subject) VALUES ('t', 'x', 'y')");
               tx.exec("SELECT pg_sleep(20)");
               return 1;
             }));
  pqxx::connection admin{url};
  int terminated = 0;
  for (int i = 0; i < 100 && terminated == 0; ++i) {
    pqxx::nontransaction tx{admin};
    terminated =
        tx.exec1(
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
              "WHERE application_name LIKE 'vpnbot-db-%' AND query LIKE '%pg_sleep(20)%'")[0]
            .as<int>();
    if (terminated == 0) std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(terminated, 1);
  caf::error failure;
  self->receive([](db_value&) { ADD_FAILURE() << "the doomed call succeeded"; },
                [&](caf::error& e) { failure = e; });
  EXPECT_TRUE(failure == db::db_errc::connection_lost) << caf::to_string(failure);
  // The only worker died with its connection; its supervisor brings it back.
  bool back = false;
  for (int i = 0; i < 200 && !back; ++i) {
    back = ping(self);
    if (!back) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(back);
  EXPECT_EQ(registry.value("vpnbot_db_reconnects_total"), 1);
  EXPECT_GE(registry.value("vpnbot_supervisor_restarts_total",
                           {{"supervisor", "storage"}, {"child", "db-1"}}),
            1);
  pqxx::work check{admin};
  EXPECT_EQ(check.exec1("SELECT count(*) FROM audit_log")[0].as<int>(), 0);
}

TEST_F(StoragePool, NoPoolMeansAClearErrorNotAHang) {
  caf::actor_system_config c;
  register_message_types(c);
  caf::actor_system s{c};
  caf::scoped_actor self{s};
  auto r = db_run<int>(
      self, wiring.db, "orphan", [](pqxx::transaction_base&) { return 1; }, 1s);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error() == db::db_errc::unavailable);
}

}  // namespace
}  // namespace vpnbot::storage
