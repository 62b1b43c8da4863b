// The reconcile planner on its own: what it may touch, what it must not,
// and how an orphan waits out its quarantine.

#include <gtest/gtest.h>

#include "domain/subscriptions/reconcile.hpp"

namespace vpnbot::activation {
namespace {

using namespace std::chrono_literals;
using clock_t_ = std::chrono::system_clock;

const auto now = clock_t_::time_point(std::chrono::hours(500000));
constexpr auto grace = std::chrono::seconds(3600);

expected_client sold(int64_t sub, std::string uuid, int64_t expiry_ms = 1'900'000'000'000) {
  expected_client e;
  e.subscription_id = sub;
  e.uuid = std::move(uuid);
  e.email = "tg7-" + std::to_string(sub);
  e.present = true;
  e.enabled = true;
  e.expiry_ms = expiry_ms;
  return e;
}

panel::xui_client on_panel(const expected_client& e) {
  panel::xui_client c;
  c.id = e.uuid;
  c.email = e.email;
  c.enable = e.enabled;
  c.expiry_time_ms = e.expiry_ms;
  c.total_bytes = e.total_bytes;
  return c;
}

panel::xui_client foreign(std::string email, std::string uuid) {
  panel::xui_client c;
  c.id = std::move(uuid);
  c.email = std::move(email);
  return c;
}

TEST(ReconcilePlan, InSyncChangesNothing) {
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  auto plan = plan_reconcile({a}, {on_panel(a)}, {}, now, grace);
  EXPECT_EQ(plan.ours, 1);
  EXPECT_EQ(plan.foreign, 0);
  EXPECT_TRUE(plan.create.empty() && plan.enable.empty() && plan.disable.empty() &&
              plan.extend.empty() && plan.quarantine.empty() && plan.remove.empty());
}

TEST(ReconcilePlan, ForeignClientsAreCountedAndNeverTouched) {
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  a.present = false;  // ours would be an orphan...
  std::vector<panel::xui_client> clients = {
      foreign("alice@example.com", "00000000-0000-4000-8000-0000000000aa"),  // made by hand
      foreign("tg9-99", "00000000-0000-4000-8000-0000000000bb"),  // our scheme, not in our tables
      // Our email under someone else's UUID: a shared client, never deleted.
      foreign("tg7-1", "00000000-0000-4000-8000-0000000000cc"),
  };
  auto plan = plan_reconcile({a}, clients, {}, now, grace);
  EXPECT_EQ(plan.foreign, 3);
  EXPECT_EQ(plan.ours, 0);
  EXPECT_TRUE(plan.quarantine.empty());
  EXPECT_TRUE(plan.remove.empty());
  // ...and nothing is created beside the client holding its email.
  a.present = true;
  EXPECT_TRUE(plan_reconcile({a}, clients, {}, now, grace).create.empty());
}

TEST(ReconcilePlan, AnotherSubscriptionsDriftIsNotFixedThroughOurs) {
  // Someone else's client that happens to carry our UUID is not expired.
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  a.enabled = false;
  auto theirs = foreign("bob@example.com", a.uuid);
  theirs.enable = true;
  auto plan = plan_reconcile({a}, {theirs}, {}, now, grace);
  EXPECT_TRUE(plan.disable.empty());
  EXPECT_EQ(plan.foreign, 1);
}

TEST(ReconcilePlan, AMissingLiveClientIsCreatedAgainUnlessAJobIsPending) {
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  auto b = sold(2, "00000000-0000-4000-8000-000000000002");
  b.job_pending = true;
  auto c = sold(3, "00000000-0000-4000-8000-000000000003");
  c.present = false;  // expired past retention: not sold
  auto plan = plan_reconcile({a, b, c}, {}, {}, now, grace);
  EXPECT_EQ(plan.create, std::vector<int64_t>{1});
}

TEST(ReconcilePlan, DriftBecomesTheMatchingJob) {
  auto enabled_off = sold(1, "00000000-0000-4000-8000-000000000001");
  auto expired_on = sold(2, "00000000-0000-4000-8000-000000000002");
  expired_on.enabled = false;
  auto moved = sold(3, "00000000-0000-4000-8000-000000000003");
  auto close = sold(4, "00000000-0000-4000-8000-000000000004");
  auto limited = sold(5, "00000000-0000-4000-8000-000000000005");
  limited.total_bytes = 50LL << 30;
  auto c1 = on_panel(enabled_off);
  c1.enable = false;
  auto c2 = on_panel(expired_on);
  c2.enable = true;
  auto c3 = on_panel(moved);
  c3.expiry_time_ms -= 86'400'000;
  auto c4 = on_panel(close);
  c4.expiry_time_ms += 900;  // within a second: no drift
  auto c5 = on_panel(limited);
  c5.total_bytes = 0;
  auto plan = plan_reconcile({enabled_off, expired_on, moved, close, limited}, {c1, c2, c3, c4, c5},
                             {}, now, grace);
  EXPECT_EQ(plan.enable, std::vector<int64_t>{1});
  EXPECT_EQ(plan.disable, std::vector<int64_t>{2});
  EXPECT_EQ(plan.extend, (std::vector<int64_t>{3, 5}));
}

TEST(ReconcilePlan, AnOrphanIsQuarantinedThenRemovedOnlyAfterTheGrace) {
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  auto client = on_panel(a);
  a.present = false;
  auto first = plan_reconcile({a}, {client}, {}, now, grace);
  ASSERT_EQ(first.quarantine.size(), 1u);
  EXPECT_EQ(first.quarantine[0].first, a.uuid);
  EXPECT_TRUE(first.remove.empty());
  std::map<std::string, clock_t_::time_point> q{{a.uuid, now - grace + 1s}};
  EXPECT_TRUE(plan_reconcile({a}, {client}, q, now, grace).remove.empty());
  q[a.uuid] = now - grace;
  auto due = plan_reconcile({a}, {client}, q, now, grace);
  EXPECT_EQ(due.remove, std::vector<int64_t>{1});
  EXPECT_EQ(due.release, std::vector<std::string>{a.uuid});
}

TEST(ReconcilePlan, AnOrphanSoldAgainOrGoneLeavesQuarantine) {
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  std::map<std::string, clock_t_::time_point> q{{a.uuid, now - grace - 1s}};
  auto live = plan_reconcile({a}, {on_panel(a)}, q, now, grace);
  EXPECT_TRUE(live.remove.empty());
  EXPECT_EQ(live.release, std::vector<std::string>{a.uuid});
  a.present = false;
  auto gone = plan_reconcile({a}, {}, q, now, grace);
  EXPECT_TRUE(gone.remove.empty());
  EXPECT_EQ(gone.release, std::vector<std::string>{a.uuid});
}

TEST(ReconcilePlan, ACopyOnAPanelItIsNotAssignedToIsLeftAlone) {
  auto a = sold(1, "00000000-0000-4000-8000-000000000001");
  a.assigned_here = false;
  a.present = false;
  auto plan = plan_reconcile({a}, {on_panel(a)}, {}, now, grace);
  EXPECT_EQ(plan.foreign, 1);
  EXPECT_TRUE(plan.quarantine.empty());
}

}  // namespace
}  // namespace vpnbot::activation
