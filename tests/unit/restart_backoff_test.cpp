#include "adapters/resilience/restart_backoff.hpp"

#include <gtest/gtest.h>

namespace vpnbot::supervision {
namespace {

using namespace std::chrono_literals;
using time_point = restart_backoff::time_point;

backoff_policy no_jitter() {
  return backoff_policy{.min = 100ms, .max = 1s, .reset = 30s, .jitter = 0.0};
}

TEST(RestartBackoff, DoublesFromMinimumUpToMaximum) {
  restart_backoff b{no_jitter()};
  time_point t{};
  b.started(t);
  std::vector<std::chrono::nanoseconds> seen;
  for (int i = 0; i < 6; ++i) {
    t += 10ms;
    seen.push_back(b.next_delay(t, 0.0));
    b.started(t);
  }
  std::vector<std::chrono::nanoseconds> expected{100ms, 200ms, 400ms, 800ms, 1s, 1s};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(b.attempt(), 6u);
}

TEST(RestartBackoff, LongCrashLoopStaysAtMaximum) {
  restart_backoff b{no_jitter()};
  time_point t{};
  std::chrono::nanoseconds last{};
  for (int i = 0; i < 200; ++i) last = b.next_delay(t, 0.0);
  EXPECT_EQ(last, 1s);
}

TEST(RestartBackoff, ResetsAfterTheChildRanQuietly) {
  restart_backoff b{no_jitter()};
  time_point t{};
  b.started(t);
  b.next_delay(t + 1ms, 0.0);
  b.started(t + 101ms);
  EXPECT_EQ(b.next_delay(t + 102ms, 0.0), 200ms);
  b.started(t + 302ms);
  // Up just short of the reset period: still growing.
  EXPECT_EQ(b.next_delay(t + 302ms + 30s - 1ns, 0.0), 400ms);
  b.started(t + 31s);
  // Up for the whole reset period: back to the minimum.
  EXPECT_EQ(b.next_delay(t + 61s, 0.0), 100ms);
  EXPECT_EQ(b.attempt(), 1u);
}

TEST(RestartBackoff, JitterOnlyShortensTheDelayWithinItsFraction) {
  restart_backoff b{backoff_policy{.min = 1s, .max = 1s, .reset = 30s, .jitter = 0.25}};
  time_point t{};
  EXPECT_EQ(b.next_delay(t, 0.0), 1s);
  EXPECT_EQ(b.next_delay(t, 0.5), 875ms);
  auto almost_one = b.next_delay(t, 0.999999);
  EXPECT_GT(almost_one, 750ms);
  EXPECT_LT(almost_one, 751ms);
}

TEST(RestartBackoff, OutOfRangeSettingsAreClamped) {
  // A maximum below the minimum and a jitter above 1 would make negative or
  // shrinking delays; the policy is corrected instead.
  restart_backoff b{backoff_policy{.min = 200ms, .max = 50ms, .reset = 30s, .jitter = 3.0}};
  time_point t{};
  EXPECT_EQ(b.next_delay(t, 0.0), 200ms);
  EXPECT_EQ(b.next_delay(t, 0.5), 100ms);
}

}  // namespace
}  // namespace vpnbot::supervision
