// Group commit in the database pool with a real PostgreSQL: calls that wait
// together share one transaction, a failing call fails alone, and a group
// whose COMMIT fails runs each call again alone — every call answered once,
// its effect committed once.

#include <gtest/gtest.h>

#include <atomic>
#include <caf/all.hpp>
#include <pqxx/pqxx>
#include <set>

#include "actors/storage/db_request.hpp"
#include "actors/storage/storage_supervisor.hpp"
#include "actors/supervisor.hpp"
#include "adapters/db/db_error.hpp"
#include "messages/type_ids.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::storage {
namespace {

using namespace std::chrono_literals;

struct StorageGroupCommit : testing_support::fresh_database {
  metrics::registry registry;
  components wiring;
  std::unique_ptr<caf::actor_system_config> cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::actor root;
  std::unique_ptr<pqxx::connection> lock;

  // One connection unless said, so whatever arrives while it is busy waits together.
  void start(unsigned group_commit, unsigned pool_size = 1,
             config::duration group_wait = std::chrono::milliseconds(1)) {
    config::settings s;
    s.database.pool_size = pool_size;
    s.database.group_commit = group_commit;
    s.database.group_wait = group_wait;
    cfg = std::make_unique<caf::actor_system_config>();
    register_message_types(*cfg);
    cfg->set("logger.verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(*cfg);
    supervision::supervisor_spec spec;
    spec.name = "root";
    spec.children.push_back(storage_child(s, url, wiring, registry));
    root = supervision::spawn_supervisor(*sys, std::move(spec), registry);
    query(
        "CREATE TABLE parent (id int PRIMARY KEY);"
        "CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent(id) "
        "DEFERRABLE INITIALLY DEFERRED)");
    caf::scoped_actor self{*sys};
    for (int i = 0; i < 200 && !wiring.db->get(); ++i) std::this_thread::sleep_for(20ms);
    auto ping = db_run<int>(
        self, wiring.db, "ping",
        [](pqxx::dbtransaction& tx) { return tx.exec1("SELECT 1")[0].as<int>(); }, 10s);
    ASSERT_TRUE(ping) << to_string(ping.error());
  }

  // Keeps the only worker busy until release_worker(), so the next calls queue up.
  void occupy_worker(caf::scoped_actor& self) {
    lock = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction(*lock).exec("SELECT pg_advisory_lock(77)");
    self->send(wiring.db->get(), make_db_call("busy", [](pqxx::dbtransaction& tx) {
                 tx.exec("SELECT pg_advisory_xact_lock(77)");
                 return int64_t{-1};
               }));
  }

  void release_worker() { pqxx::nontransaction(*lock).exec("SELECT pg_advisory_unlock(77)"); }

  void TearDown() override {
    if (sys) {
      caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
      sys.reset();
    }
    fresh_database::TearDown();
  }
};

// A call that inserts a child of `parent` and says in which transaction.
db_call insert_child(int id, int parent) {
  return make_db_call("insert_child", [id, parent](pqxx::dbtransaction& tx) {
    tx.exec_params("INSERT INTO parent (id) SELECT $1::int WHERE $1::int <> $2::int", parent, -1);
    tx.exec_params("INSERT INTO child (id, parent) VALUES ($1, $2)", id, parent);
    return tx.exec1("SELECT txid_current()")[0].as<int64_t>();
  });
}

struct answers {
  std::vector<int64_t> txids;  // of the calls that succeeded, the busy one left out
  std::vector<caf::error> errors;
};

// Every answer to `expected` calls, then proof that nothing more arrives.
answers collect(caf::scoped_actor& self, int expected) {
  answers a;
  int n = 0;
  self->receive_for(n, expected)(
      [&](db_value& v) {
        auto txid = std::any_cast<int64_t>(v.value);
        if (txid >= 0) a.txids.push_back(txid);
      },
      [&](caf::error& e) { a.errors.push_back(e); });
  self->receive([](db_value&) { ADD_FAILURE() << "a call was answered twice"; },
                [](caf::error&) { ADD_FAILURE() << "a call was answered twice"; },
                caf::after(300ms) >> [] {});
  return a;
}

TEST_F(StorageGroupCommit, CallsWaitingTogetherShareOneTransaction) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  for (int i = 1; i <= 10; ++i) self->send(wiring.db->get(), insert_child(i, i));
  release_worker();
  auto a = collect(self, 11);
  for (const auto& e : a.errors) ADD_FAILURE() << to_string(e);
  ASSERT_EQ(a.txids.size(), 10u);
  EXPECT_EQ(std::set<int64_t>(a.txids.begin(), a.txids.end()).size(), 1u);
  EXPECT_EQ(query("SELECT count(*) FROM child"), "10");
  // The busy call's transaction and the group's.
  EXPECT_EQ(registry.value("vpnbot_db_commits_total"), 3);  // ping, busy, group
  EXPECT_EQ(registry.value("vpnbot_db_query_duration_seconds", {{"query", "insert_child"}}), 10);
}

// With a worker idle, calls arriving while another runs wait (up to
// group_wait) for company and then go as one transaction, not one each.
TEST_F(StorageGroupCommit, WhileACallRunsNewCallsWaitForCompanyAndGoTogether) {
  start(32, 2, 300ms);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  for (int i = 1; i <= 5; ++i) self->send(wiring.db->get(), insert_child(i, i));
  auto a = collect(self, 5);  // answered by the other worker, the busy one still held
  for (const auto& e : a.errors) ADD_FAILURE() << to_string(e);
  ASSERT_EQ(a.txids.size(), 5u);
  EXPECT_EQ(std::set<int64_t>(a.txids.begin(), a.txids.end()).size(), 1u);
  release_worker();
  EXPECT_EQ(collect(self, 1).txids.size(), 0u) << "the busy call answered last";
  EXPECT_EQ(query("SELECT count(*) FROM child"), "5");
}

// Full groups for every idle worker do not wait, however long group_wait
// is; nor does a call at an idle pool (the wait here is an hour: either
// would fail the receive's ten seconds).
TEST_F(StorageGroupCommit, FullGroupsAndACallAtAnIdlePoolDoNotWait) {
  start(4, 2, std::chrono::hours(1));
  caf::scoped_actor self{*sys};
  auto alone = db_run<int64_t>(
      self, wiring.db, "alone",
      [](pqxx::dbtransaction& tx) { return tx.exec1("SELECT 1")[0].as<int64_t>(); }, 10s);
  ASSERT_TRUE(alone) << to_string(alone.error());
  occupy_worker(self);
  for (int i = 1; i <= 4; ++i) self->send(wiring.db->get(), insert_child(i, i));
  std::set<int64_t> txids;
  int n = 0;
  self->receive_for(n, 4)([&](db_value& v) { txids.insert(std::any_cast<int64_t>(v.value)); },
                          [&](caf::error& e) { ADD_FAILURE() << to_string(e); },
                          caf::after(10s) >> [&] { ADD_FAILURE() << "the full group waited"; });
  EXPECT_EQ(txids.size(), 1u);
  release_worker();
  collect(self, 1);
}

// A group whose calls all succeed pays no savepoint round trips: a row
// written under a savepoint would carry a subtransaction's xid, not the
// transaction's own.
TEST_F(StorageGroupCommit, CallsThatAllSucceedRunWithoutSavepoints) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  for (int i = 1; i <= 5; ++i)
    self->send(wiring.db->get(), make_db_call("own_xid", [i](pqxx::dbtransaction& tx) {
                 return tx
                     .exec_params1(
                         "WITH p AS (INSERT INTO parent (id) VALUES ($1) RETURNING xmin)"
                         " SELECT CASE WHEN xmin::text::bigint = txid_current() % 4294967296"
                         " THEN txid_current() ELSE -2 END FROM p",
                         i)[0]
                     .as<int64_t>();
               }));
  release_worker();
  auto a = collect(self, 6);
  for (const auto& e : a.errors) ADD_FAILURE() << to_string(e);
  ASSERT_EQ(a.txids.size(), 5u) << "a call ran inside a subtransaction";
  EXPECT_EQ(std::set<int64_t>(a.txids.begin(), a.txids.end()).size(), 1u);
}

TEST_F(StorageGroupCommit, GroupCommitOffIsOneTransactionPerCall) {
  start(1);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  for (int i = 1; i <= 5; ++i) self->send(wiring.db->get(), insert_child(i, i));
  release_worker();
  auto a = collect(self, 6);
  ASSERT_EQ(a.txids.size(), 5u);
  EXPECT_EQ(std::set<int64_t>(a.txids.begin(), a.txids.end()).size(), 5u);
}

// A failed call spoils the plain attempt, which is rolled back; the group
// runs again with savepoints, where a failed exec_params leaves the
// transaction open: the call is rolled back to its savepoint and the others
// commit together.
TEST_F(StorageGroupCommit, AFailingCallFailsAloneAndTheOthersCommitTogether) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  auto pool = wiring.db->get();
  self->send(pool, insert_child(1, 1));
  self->send(pool, make_db_call("half_done", [](pqxx::dbtransaction& tx) -> int64_t {
               tx.exec_params("INSERT INTO parent (id) VALUES ($1)", 500);
               tx.exec_params("SELECT 1 / $1", 0);
               return 0;
             }));
  self->send(pool, insert_child(2, 2));
  release_worker();
  auto a = collect(self, 4);
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_TRUE(a.errors[0] == db::db_errc::query_failed) << to_string(a.errors[0]);
  ASSERT_EQ(a.txids.size(), 2u);
  EXPECT_EQ(a.txids[0], a.txids[1]);
  EXPECT_EQ(query("SELECT count(*) FROM child"), "2");
  EXPECT_EQ(query("SELECT count(*) FROM parent WHERE id = 500"), "0");
  EXPECT_EQ(registry.value("vpnbot_db_group_reruns_total"), 0);
}

// A failed exec() makes libpqxx roll back the whole transaction: the failing
// call keeps its error, every other call runs again alone, none is lost.
TEST_F(StorageGroupCommit, AFailedExecLosesTheGroupAndTheOthersRunAgainAlone) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  auto pool = wiring.db->get();
  self->send(pool, insert_child(1, 1));
  self->send(pool, make_db_call("half_done", [](pqxx::dbtransaction& tx) -> int64_t {
               tx.exec("INSERT INTO parent (id) VALUES (500)");
               tx.exec("SELECT 1 / 0");
               return 0;
             }));
  self->send(pool, insert_child(2, 2));
  release_worker();
  auto a = collect(self, 4);
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_TRUE(a.errors[0] == db::db_errc::query_failed) << to_string(a.errors[0]);
  ASSERT_EQ(a.txids.size(), 2u);
  EXPECT_NE(a.txids[0], a.txids[1]);
  EXPECT_EQ(query("SELECT string_agg(id::text, ',' ORDER BY id) FROM child"), "1,2");
  EXPECT_EQ(query("SELECT count(*) FROM parent WHERE id = 500"), "0");
  EXPECT_EQ(registry.value("vpnbot_db_group_reruns_total"), 2);
}

// The bad call's dangling reference is refused only at COMMIT, which rolls
// back the whole group: every call runs again alone, the bad one fails, the
// others commit once each.
TEST_F(StorageGroupCommit, AGroupWhoseCommitFailsRunsEachCallAgainAlone) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  auto pool = wiring.db->get();
  self->send(pool, insert_child(1, 1));
  self->send(pool, insert_child(2, 2));
  self->send(pool, insert_child(3, -1));  // no parent -1: refused at COMMIT
  self->send(pool, insert_child(4, 4));
  release_worker();
  auto a = collect(self, 5);
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_TRUE(a.errors[0] == db::db_errc::constraint_violation) << to_string(a.errors[0]);
  ASSERT_EQ(a.txids.size(), 3u);
  EXPECT_EQ(std::set<int64_t>(a.txids.begin(), a.txids.end()).size(), 3u);
  EXPECT_EQ(query("SELECT string_agg(id::text, ',' ORDER BY id) FROM child"), "1,2,4");
  EXPECT_EQ(registry.value("vpnbot_db_group_reruns_total"), 4);
}

// Parents inserted by one statement for all the calls that merge; a call
// run by itself inserts its own. Values say which way a call ran.
struct parent_merge final : db_merge {
  int id;
  std::shared_ptr<std::atomic<int>> merged_runs;
  bool fail;

  parent_merge(int i, std::shared_ptr<std::atomic<int>> runs, bool f)
      : id(i), merged_runs(std::move(runs)), fail(f) {}

  bool merges_with(const db_merge& other) const override {
    return dynamic_cast<const parent_merge*>(&other) != nullptr;
  }

  std::vector<std::any> run_merged(pqxx::dbtransaction& tx,
                                   const std::vector<const db_merge*>& calls) const override {
    ++*merged_runs;
    std::string ids;
    for (const auto* c : calls)
      ids += (ids.empty() ? "" : ",") + std::to_string(static_cast<const parent_merge*>(c)->id);
    tx.exec("INSERT INTO parent (id) SELECT unnest('{" + ids + "}'::int[])");
    if (fail) throw std::runtime_error("the merged run fails");
    std::vector<std::any> values;
    for (const auto* c : calls)
      values.emplace_back(int64_t{static_cast<const parent_merge*>(c)->id * 10 + 1});
    return values;
  }
};

db_call insert_parent(int id, std::shared_ptr<std::atomic<int>> runs, bool fail = false) {
  return make_db_call(
      "insert_parent",
      [id](pqxx::dbtransaction& tx) {
        tx.exec_params("INSERT INTO parent (id) VALUES ($1)", id);
        return int64_t{id * 10 + 2};
      },
      std::make_shared<parent_merge>(id, std::move(runs), fail));
}

TEST_F(StorageGroupCommit, CallsThatMergeRunAsOneAndEachGetsItsOwnAnswer) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  auto pool = wiring.db->get();
  auto runs = std::make_shared<std::atomic<int>>(0);
  self->send(pool, insert_parent(1, runs));
  self->send(pool, insert_child(50, 5));
  for (int i = 2; i <= 4; ++i) self->send(pool, insert_parent(i, runs));
  release_worker();
  auto a = collect(self, 6);
  for (const auto& e : a.errors) ADD_FAILURE() << to_string(e);
  std::multiset<int64_t> values(a.txids.begin(), a.txids.end());
  for (int64_t v : {11, 21, 31, 41}) EXPECT_EQ(values.count(v), 1u) << v;
  EXPECT_EQ(a.txids.size(), 5u) << "four merged answers and the child's txid";
  EXPECT_EQ(runs->load(), 1);
  EXPECT_EQ(query("SELECT string_agg(id::text, ',' ORDER BY id) FROM parent"), "1,2,3,4,5");
  EXPECT_EQ(query("SELECT count(*) FROM child"), "1");
  EXPECT_EQ(registry.value("vpnbot_db_merged_calls_total"), 4);
  EXPECT_EQ(registry.value("vpnbot_db_commits_total"), 3);  // ping, busy, group
}

// A merged run that fails spoils only the plain attempt: each call then
// runs by itself, once, and nothing of the merged run is kept.
TEST_F(StorageGroupCommit, AMergedRunThatFailsFallsBackToEachCallsOwnRun) {
  start(32);
  caf::scoped_actor self{*sys};
  occupy_worker(self);
  auto pool = wiring.db->get();
  auto runs = std::make_shared<std::atomic<int>>(0);
  for (int i = 1; i <= 3; ++i) self->send(pool, insert_parent(i, runs, true));
  release_worker();
  auto a = collect(self, 4);
  for (const auto& e : a.errors) ADD_FAILURE() << to_string(e);
  std::multiset<int64_t> values(a.txids.begin(), a.txids.end());
  EXPECT_EQ(values, (std::multiset<int64_t>{12, 22, 32}));
  EXPECT_EQ(runs->load(), 1);
  EXPECT_EQ(query("SELECT string_agg(id::text, ',' ORDER BY id) FROM parent"), "1,2,3");
  EXPECT_EQ(registry.value("vpnbot_db_merged_calls_total"), 0);
}

}  // namespace
}  // namespace vpnbot::storage
