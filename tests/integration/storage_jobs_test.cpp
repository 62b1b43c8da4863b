#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "adapters/db/jobs_repository.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::db {
namespace {

using namespace std::chrono_literals;
using StorageJobs = testing_support::fresh_database;

TEST_F(StorageJobs, EachJobGoesToExactlyOneOfEightConcurrentTakers) {
  migrate_schema();
  constexpr int jobs = 400;
  {
    pqxx::connection c{url};
    pqxx::work tx{c};
    for (int i = 0; i < jobs; ++i)
      ASSERT_TRUE(enqueue_job(tx, "create_client", i, {{"n", i}}, "job-" + std::to_string(i)));
    tx.commit();
  }
  std::mutex mutex;
  std::map<int64_t, std::vector<std::string>> takers;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      pqxx::connection c{url};
      auto owner = "worker-" + std::to_string(t);
      for (;;) {
        pqxx::work tx{c};
        auto leased = lease_jobs(tx, owner, 5, 60s);
        tx.commit();
        if (leased.empty()) return;
        for (const auto& job : leased) {
          {
            std::lock_guard guard{mutex};
            takers[job.id].push_back(owner);
          }
          pqxx::work done{c};
          EXPECT_TRUE(complete_job(done, job.id, owner));
          done.commit();
        }
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(takers.size(), static_cast<size_t>(jobs));
  std::set<std::string> distinct_owners;
  for (const auto& [id, owners] : takers) {
    EXPECT_EQ(owners.size(), 1u) << "job " << id << " was taken " << owners.size() << " times";
    distinct_owners.insert(owners.front());
  }
  EXPECT_GT(distinct_owners.size(), 1u) << "the work was not actually shared";
  pqxx::connection c{url};
  pqxx::work tx{c};
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM jobs WHERE state = 'done'")[0].as<int>(), jobs);
}

TEST_F(StorageJobs, EnqueueIsIdempotentOnItsKey) {
  migrate_schema();
  pqxx::connection c{url};
  pqxx::work tx{c};
  EXPECT_TRUE(enqueue_job(tx, "extend_client", 7, {{"days", 30}}, "payment:abc"));
  EXPECT_FALSE(enqueue_job(tx, "extend_client", 7, {{"days", 30}}, "payment:abc"));
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM jobs")[0].as<int>(), 1);
}

TEST_F(StorageJobs, ExpiredLeaseIsTakenOverAndTheStaleOwnerCannotComplete) {
  migrate_schema();
  pqxx::connection c{url};
  {
    pqxx::work tx{c};
    enqueue_job(tx, "create_client", 1, nlohmann::json::object(), "k1");
    ASSERT_EQ(lease_jobs(tx, "dead-node", 10, 60s).size(), 1u);
    // The node holding it died; its lease ran out.
    tx.exec("UPDATE jobs SET lease_expires_at = now() - interval '1 second'");
    tx.commit();
  }
  pqxx::work tx{c};
  auto again = lease_jobs(tx, "live-node", 10, 60s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_FALSE(complete_job(tx, again[0].id, "dead-node"));
  EXPECT_TRUE(complete_job(tx, again[0].id, "live-node"));
}

TEST_F(StorageJobs, ASubjectsJobsAreLeasedOneAtATimeInTheirOrder) {
  migrate_schema();
  pqxx::connection c{url};
  pqxx::work tx{c};
  auto none = nlohmann::json::object();
  enqueue_job(tx, "disable_client", 7, none, "disable");
  enqueue_job(tx, "extend_client", 7, none, "renewal");
  enqueue_job(tx, "create_client", 8, none, "other");
  auto first = lease_jobs(tx, "w", 10, 60s);
  std::set<std::string> keys;
  for (const auto& j : first) keys.insert(j.idempotency_key);
  EXPECT_EQ(keys, (std::set<std::string>{"disable", "other"}));
  // The older job, backing off after a failure, still holds the newer back.
  auto disable = first[0].idempotency_key == "disable" ? first[0] : first.at(1);
  ASSERT_EQ(fail_job(tx, disable.id, "w", "panel down", 30s, 5), job_fate::retry_scheduled);
  EXPECT_TRUE(lease_jobs(tx, "w", 10, 60s).empty());
  tx.exec("UPDATE jobs SET next_run_at = now() WHERE idempotency_key = 'disable'");
  auto retried = lease_jobs(tx, "w", 10, 60s);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].idempotency_key, "disable");
  EXPECT_TRUE(complete_job(tx, retried[0].id, "w"));
  auto next = lease_jobs(tx, "w", 10, 60s);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].idempotency_key, "renewal");
}

TEST_F(StorageJobs, FailureBacksOffThenGoesDead) {
  migrate_schema();
  pqxx::connection c{url};
  pqxx::work tx{c};
  enqueue_job(tx, "create_client", 1, nlohmann::json::object(), "k1");
  auto job = lease_jobs(tx, "w", 1, 60s).at(0);
  EXPECT_EQ(fail_job(tx, job.id, "w", "panel down", 30s, 2), job_fate::retry_scheduled);
  EXPECT_TRUE(lease_jobs(tx, "w", 1, 60s).empty()) << "not due yet: it backs off";
  tx.exec("UPDATE jobs SET next_run_at = now()");
  job = lease_jobs(tx, "w", 1, 60s).at(0);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(fail_job(tx, job.id, "w", "panel down", 30s, 2), job_fate::dead);
  EXPECT_EQ(fail_job(tx, job.id, "w", "again", 30s, 2), job_fate::lease_lost);
  auto row = tx.exec1("SELECT state, last_error FROM jobs");
  EXPECT_EQ(row[0].as<std::string>(), "dead");
  EXPECT_EQ(row[1].as<std::string>(), "panel down");
}

}  // namespace
}  // namespace vpnbot::db
