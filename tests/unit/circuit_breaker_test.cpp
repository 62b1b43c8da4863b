#include "adapters/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace vpnbot::resilience {
namespace {

using namespace std::chrono_literals;

const time_point t0 = time_point{} + 1000s;

struct recorder {
  std::vector<std::pair<breaker_state, breaker_state>> transitions;
  circuit_breaker::transition_fn fn() {
    return [this](breaker_state from, breaker_state to, time_point) {
      transitions.emplace_back(from, to);
    };
  }
};

breaker_settings consecutive_only(unsigned n) {
  breaker_settings s;
  s.consecutive_failures = n;
  s.failure_rate_percent = 0;
  s.open_for = 30s;
  s.probe_timeout = 10s;
  return s;
}

void fail(circuit_breaker& b, time_point now) {
  auto p = b.try_acquire(now);
  ASSERT_TRUE(p);
  b.on_failure(*p, now);
}

void succeed(circuit_breaker& b, time_point now) {
  auto p = b.try_acquire(now);
  ASSERT_TRUE(p);
  b.on_success(*p, now);
}

TEST(Breaker, OpensAfterConsecutiveFailures) {
  recorder r;
  circuit_breaker b(consecutive_only(3), r.fn());
  fail(b, t0);
  fail(b, t0);
  succeed(b, t0);  // resets the run
  fail(b, t0);
  fail(b, t0);
  EXPECT_EQ(b.state(), breaker_state::closed);
  fail(b, t0);
  EXPECT_EQ(b.state(), breaker_state::open);
  EXPECT_FALSE(b.try_acquire(t0 + 29s));
  EXPECT_EQ(b.open_until(), t0 + 30s);
  ASSERT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(r.transitions[0], std::make_pair(breaker_state::closed, breaker_state::open));
}

TEST(Breaker, HalfOpenLetsExactlyOneProbeThroughAndItsSuccessCloses) {
  recorder r;
  circuit_breaker b(consecutive_only(1), r.fn());
  fail(b, t0);
  auto probe = b.try_acquire(t0 + 30s);
  ASSERT_TRUE(probe);
  EXPECT_EQ(b.state(), breaker_state::half_open);
  EXPECT_FALSE(b.try_acquire(t0 + 31s));
  EXPECT_FALSE(b.try_acquire(t0 + 35s));
  b.on_success(*probe, t0 + 36s);
  EXPECT_EQ(b.state(), breaker_state::closed);
  EXPECT_TRUE(b.try_acquire(t0 + 36s));
  std::vector<std::pair<breaker_state, breaker_state>> expected = {
      {breaker_state::closed, breaker_state::open},
      {breaker_state::open, breaker_state::half_open},
      {breaker_state::half_open, breaker_state::closed}};
  EXPECT_EQ(r.transitions, expected);
}

TEST(Breaker, FailedProbeOpensAgainForAFreshCooldown) {
  recorder r;
  circuit_breaker b(consecutive_only(1), r.fn());
  fail(b, t0);
  auto probe = b.try_acquire(t0 + 40s);
  ASSERT_TRUE(probe);
  b.on_failure(*probe, t0 + 41s);
  EXPECT_EQ(b.state(), breaker_state::open);
  EXPECT_EQ(b.open_until(), t0 + 71s);
  EXPECT_FALSE(b.try_acquire(t0 + 70s));
  EXPECT_TRUE(b.try_acquire(t0 + 71s));
  EXPECT_EQ(r.transitions.back(), std::make_pair(breaker_state::open, breaker_state::half_open));
}

TEST(Breaker, ProbeThatNeverReportsIsReplacedAfterTimeout) {
  circuit_breaker b(consecutive_only(1));
  fail(b, t0);
  auto lost = b.try_acquire(t0 + 30s);
  ASSERT_TRUE(lost);
  EXPECT_FALSE(b.try_acquire(t0 + 39s));
  auto second = b.try_acquire(t0 + 40s);
  ASSERT_TRUE(second);
  // The lost probe's late answer changes nothing.
  b.on_success(*lost, t0 + 41s);
  EXPECT_EQ(b.state(), breaker_state::half_open);
  b.on_success(*second, t0 + 42s);
  EXPECT_EQ(b.state(), breaker_state::closed);
}

TEST(Breaker, LateOutcomesFromBeforeTheTripAreIgnored) {
  circuit_breaker b(consecutive_only(2));
  auto slow = b.try_acquire(t0);
  ASSERT_TRUE(slow);
  fail(b, t0);
  fail(b, t0);
  ASSERT_EQ(b.state(), breaker_state::open);
  b.on_success(*slow, t0 + 1s);
  EXPECT_EQ(b.state(), breaker_state::open);
  auto probe = b.try_acquire(t0 + 30s);
  ASSERT_TRUE(probe);
  b.on_failure(*slow, t0 + 31s);  // not the probe
  EXPECT_EQ(b.state(), breaker_state::half_open);
}

TEST(Breaker, OpensOnFailureRateOnlyWithEnoughCalls) {
  breaker_settings s;
  s.consecutive_failures = 0;
  s.failure_rate_percent = 50;
  s.minimum_calls = 10;
  s.window = 60s;
  circuit_breaker b(s);
  // Alternating outcomes: never more than one failure in a row.
  for (int i = 0; i < 4; ++i) {
    succeed(b, t0 + std::chrono::seconds(i));
    fail(b, t0 + std::chrono::seconds(i));
  }
  EXPECT_EQ(b.state(), breaker_state::closed);  // 8 calls: below the minimum
  succeed(b, t0 + 5s);
  fail(b, t0 + 5s);  // 10 calls, 5 failures: 50%
  EXPECT_EQ(b.state(), breaker_state::open);
}

TEST(Breaker, OldOutcomesLeaveTheWindow) {
  breaker_settings s;
  s.consecutive_failures = 0;
  s.failure_rate_percent = 50;
  s.minimum_calls = 4;
  s.window = 10s;
  circuit_breaker b(s);
  succeed(b, t0);
  fail(b, t0);
  fail(b, t0);
  fail(b, t0 + 1s);  // 3 of 4 within the window
  ASSERT_EQ(b.state(), breaker_state::open);

  circuit_breaker c(s);
  fail(c, t0);
  fail(c, t0);
  for (int i = 0; i < 4; ++i) succeed(c, t0 + 20s);
  fail(c, t0 + 20s);  // the early failures have left the window: 1 of 5
  EXPECT_EQ(c.state(), breaker_state::closed);
}

TEST(Breaker, StateNames) {
  EXPECT_EQ(to_string(breaker_state::closed), "closed");
  EXPECT_EQ(to_string(breaker_state::open), "open");
  EXPECT_EQ(to_string(breaker_state::half_open), "half_open");
}

}  // namespace
}  // namespace vpnbot::resilience
