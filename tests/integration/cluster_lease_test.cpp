// The leader's lease and the fence on a real PostgreSQL: one holder at a
// time, a new fencing token at each change of holder, and a fence check that
// keeps the lease from being taken over until the checking transaction ends.

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "adapters/db/cluster_repository.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::db {
namespace {

using namespace std::chrono_literals;

struct ClusterLease : testing_support::fresh_database {
  std::unique_ptr<pqxx::connection> a, b;
  void SetUp() override {
    fresh_database::SetUp();
    if (IsSkipped()) return;
    migrate_schema();
    a = std::make_unique<pqxx::connection>(url);
    b = std::make_unique<pqxx::connection>(url);
  }

  std::optional<int64_t> claim(pqxx::connection& c, const std::string& node,
                               std::chrono::milliseconds ttl = 30s) {
    pqxx::work tx{c};
    auto token = claim_leadership(tx, node, ttl);
    tx.commit();
    return token;
  }

  void run_out() {
    pqxx::work tx{*a};
    tx.exec("UPDATE leases SET expires_at = now() - interval '1 second' WHERE name = 'leader'");
    tx.commit();
  }
};

TEST_F(ClusterLease, OneHolderAtATimeAndANewTokenAtEachChangeOfHolder) {
  auto first = claim(*a, "node-a");
  ASSERT_TRUE(first);
  EXPECT_EQ(claim(*a, "node-a"), first) << "a renewal keeps the term";
  EXPECT_FALSE(claim(*b, "node-b")) << "held and unexpired";
  run_out();
  auto second = claim(*b, "node-b");
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);
  EXPECT_FALSE(claim(*a, "node-a")) << "the old holder is refused";
  run_out();
  auto third = claim(*a, "node-a");
  ASSERT_TRUE(third);
  EXPECT_GT(*third, *second) << "coming back is a new term, not the old one";
}

TEST_F(ClusterLease, TheFenceHoldsOnlyForTheHolderOfTheTermItNames) {
  cluster::leader_fence fence_a("node-a");
  {
    pqxx::work tx{*a};
    EXPECT_FALSE(fence_a.holds(tx)) << "no term yet";
  }
  auto term = claim(*a, "node-a");
  ASSERT_TRUE(term);
  fence_a.set_token(*term);
  {
    pqxx::work tx{*a};
    EXPECT_TRUE(fence_a.holds(tx));
  }
  // Paused past its lease; node-b took over. node-a wakes up still
  // believing in its term: its writes are refused.
  run_out();
  ASSERT_TRUE(claim(*b, "node-b"));
  {
    pqxx::work tx{*a};
    EXPECT_FALSE(fence_a.holds(tx));
  }
  // A lease run out but not taken over is no term either.
  cluster::leader_fence fence_b("node-b");
  fence_b.set_token(*claim(*b, "node-b"));
  run_out();
  pqxx::work tx{*b};
  EXPECT_FALSE(fence_b.holds(tx));
}

TEST_F(ClusterLease, ATakeoverWaitsForTheTransactionThatCheckedTheFence) {
  auto term = claim(*a, "node-a", 1s);
  ASSERT_TRUE(term);
  cluster::leader_fence fence("node-a");
  fence.set_token(*term);
  pqxx::work writer{*a};
  ASSERT_TRUE(fence.holds(writer));
  // The lease runs out while the leader's write is still open.
  std::this_thread::sleep_for(1100ms);
  {
    pqxx::work tx{*b};
    tx.exec("SET LOCAL lock_timeout = '300ms'");
    EXPECT_THROW(claim_leadership(tx, "node-b", 30s), pqxx::sql_error)
        << "the takeover must wait for the fenced write to end";
  }
  writer.commit();
  EXPECT_TRUE(claim(*b, "node-b")) << "and goes through once it has ended";
}

// What a cluster's pool connections rely on (idle_in_transaction_session_timeout,
// storage_supervisor): a node paused in the middle of a fenced transaction
// loses that session, and with it the lock that kept the lease.
TEST_F(ClusterLease, APausedHoldersTransactionIsEndedSoTheLeaseCanBeTakenOver) {
  auto term = claim(*a, "node-a", 1s);
  ASSERT_TRUE(term);
  pqxx::nontransaction(*a).exec("SET idle_in_transaction_session_timeout = 500");
  cluster::leader_fence fence("node-a");
  fence.set_token(*term);
  auto paused = std::make_unique<pqxx::work>(*a);
  ASSERT_TRUE(fence.holds(*paused));
  // node-a now sends nothing (paused); its lease runs out meanwhile.
  std::this_thread::sleep_for(1200ms);
  {
    pqxx::work tx{*b};
    tx.exec("SET LOCAL lock_timeout = '2s'");
    EXPECT_TRUE(claim_leadership(tx, "node-b", 30s)) << "the takeover went through";
    tx.commit();
  }
  EXPECT_THROW(paused->exec("SELECT 1"), pqxx::broken_connection)
      << "the paused transaction's session was ended by the server";
  paused.reset();
}

TEST_F(ClusterLease, LiveNodesAreThoseWithARecentHeartbeatTheHolderMarked) {
  {
    pqxx::work tx{*a};
    record_heartbeat(tx, "node-a", "127.0.0.1:4301");
    record_heartbeat(tx, "node-b", "127.0.0.1:4302");
    record_heartbeat(tx, "node-c", "127.0.0.1:4303");
    tx.exec(
        "UPDATE cluster_nodes SET heartbeat_at = now() - interval '1 minute'"
        " WHERE name = 'node-c'");
    tx.commit();
  }
  ASSERT_TRUE(claim(*b, "node-b"));
  pqxx::work tx{*a};
  auto nodes = live_nodes(tx, 10s);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].name, "node-a");
  EXPECT_EQ(nodes[0].address, "127.0.0.1:4301");
  EXPECT_FALSE(nodes[0].leader);
  EXPECT_EQ(nodes[1].name, "node-b");
  EXPECT_TRUE(nodes[1].leader);
  release_leadership(tx, "node-a");
  EXPECT_TRUE(live_nodes(tx, 10s)[1].leader) << "only the holder releases";
  release_leadership(tx, "node-b");
  EXPECT_FALSE(live_nodes(tx, 10s)[1].leader);
}

}  // namespace
}  // namespace vpnbot::db
