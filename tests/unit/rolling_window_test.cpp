#include "adapters/resilience/rolling_window.hpp"

#include <gtest/gtest.h>

namespace vpnbot::resilience {
namespace {

using namespace std::chrono_literals;

TEST(BreakerRollingWindow, CountsWithinTheSpanAndForgetsOlder) {
  rolling_window w(10s, 10);
  const time_point t0 = time_point{} + 100s;
  w.add(t0, 0);
  w.add(t0 + 3s, 0, 2);
  w.add(t0 + 3s, 1);
  EXPECT_EQ(w.count(t0 + 3s, 0), 3u);
  EXPECT_EQ(w.count(t0 + 3s, 1), 1u);
  EXPECT_EQ(w.count(t0 + 10s, 0), 2u);  // the slice at t0 has left
  EXPECT_EQ(w.count(t0 + 13s, 0), 0u);
  w.add(t0 + 30s, 1);  // reuses an old slice
  EXPECT_EQ(w.count(t0 + 30s, 1), 1u);
  w.clear();
  EXPECT_EQ(w.count(t0 + 30s, 1), 0u);
}

TEST(BreakerRollingWindow, WorksBeforeTheClockEpoch) {
  rolling_window w(10s, 10);
  const time_point early = time_point{} - 5500ms;
  w.add(early, 0);
  EXPECT_EQ(w.count(early + 1s, 0), 1u);
  EXPECT_EQ(w.count(early + 11s, 0), 0u);
}

TEST(BreakerRollingWindow, RejectsEmptySpans) {
  EXPECT_THROW(rolling_window(0s, 10), std::invalid_argument);
  EXPECT_THROW(rolling_window(1s, 0), std::invalid_argument);
}

}  // namespace
}  // namespace vpnbot::resilience
