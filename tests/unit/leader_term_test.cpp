// A node's own view of its term as leader: it acts until the deadline the
// last grant allows and steps down by itself after it, answer or not.

#include "domain/cluster/leader_term.hpp"

#include <gtest/gtest.h>

namespace vpnbot::cluster {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

leader_term six_seconds() {
  leader_term t;
  t.ttl = 6s;
  t.margin = 1s;
  return t;
}

TEST(LeaderTerm, AGrantMakesTheNodeLeadUntilTheTtlLessTheMarginFromTheAsking) {
  auto t = six_seconds();
  auto asked = clock::time_point{} + 100s;
  EXPECT_TRUE(t.on_claim(asked, asked + 200ms, 7));
  EXPECT_TRUE(t.leader());
  EXPECT_EQ(t.token, 7);
  EXPECT_EQ(t.until, asked + 5s);
  EXPECT_FALSE(t.on_clock(asked + 4999ms));
  EXPECT_TRUE(t.on_clock(asked + 5s));
  EXPECT_FALSE(t.leader());
  EXPECT_FALSE(t.on_clock(asked + 6s)) << "stepping down happens once";
}

TEST(LeaderTerm, ARenewalMovesTheDeadlineAndIsNoChange) {
  auto t = six_seconds();
  auto start = clock::time_point{} + 100s;
  ASSERT_TRUE(t.on_claim(start, start + 10ms, 7));
  EXPECT_FALSE(t.on_claim(start + 2s, start + 2s + 10ms, 7));
  EXPECT_EQ(t.until, start + 7s);
  EXPECT_FALSE(t.on_clock(start + 6s));
}

TEST(LeaderTerm, AGrantThatArrivesAfterItsOwnDeadlineDoesNotMakeALeader) {
  auto t = six_seconds();
  auto asked = clock::time_point{} + 100s;
  EXPECT_FALSE(t.on_claim(asked, asked + 5s, 7));
  EXPECT_FALSE(t.leader());
}

TEST(LeaderTerm, ALateGrantDoesNotExtendATermThatRanOut) {
  auto t = six_seconds();
  auto start = clock::time_point{} + 100s;
  ASSERT_TRUE(t.on_claim(start, start, 7));
  // A renewal asked at +1 s is answered only at +8 s (the process was
  // paused): the term ran out at +5 s, and the grant's own deadline (+6 s)
  // has passed too.
  EXPECT_TRUE(t.on_claim(start + 1s, start + 8s, 7));
  EXPECT_FALSE(t.leader());
}

TEST(LeaderTerm, ARefusalEndsTheTermAtOnce) {
  auto t = six_seconds();
  auto start = clock::time_point{} + 100s;
  ASSERT_TRUE(t.on_claim(start, start, 7));
  EXPECT_TRUE(t.on_claim(start + 2s, start + 2s, std::nullopt));
  EXPECT_FALSE(t.leader());
  EXPECT_FALSE(t.on_claim(start + 4s, start + 4s, std::nullopt)) << "a follower stays one";
}

TEST(LeaderTerm, ANewTokenIsAChangeEvenForALeader) {
  auto t = six_seconds();
  auto start = clock::time_point{} + 100s;
  ASSERT_TRUE(t.on_claim(start, start, 7));
  EXPECT_TRUE(t.on_claim(start + 2s, start + 2s, 9));
  EXPECT_EQ(t.token, 9);
}

}  // namespace
}  // namespace vpnbot::cluster
