#include "adapters/resilience/restart_intensity.hpp"

#include <gtest/gtest.h>

namespace vpnbot::supervision {
namespace {

using namespace std::chrono_literals;
using time_point = restart_intensity::time_point;

TEST(RestartIntensity, AllowsMaxRestartsWithinTheWindowAndNoMore) {
  restart_intensity r{5, 10s};
  time_point t{};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(r.allow_restart(t + i * 1s)) << i;
  EXPECT_FALSE(r.allow_restart(t + 9s));
}

TEST(RestartIntensity, ForgetsRestartsOlderThanTheWindow) {
  restart_intensity r{2, 10s};
  time_point t{};
  EXPECT_TRUE(r.allow_restart(t));
  EXPECT_TRUE(r.allow_restart(t + 5s));
  // The first restart is exactly one window old now and no longer counts.
  EXPECT_TRUE(r.allow_restart(t + 10s));
  EXPECT_EQ(r.recent(), 2u);
  EXPECT_FALSE(r.allow_restart(t + 14s));
}

TEST(RestartIntensity, ZeroBudgetRefusesTheFirstRestart) {
  restart_intensity r{0, 10s};
  EXPECT_FALSE(r.allow_restart(time_point{}));
}

TEST(RestartIntensity, SlowFailuresNeverExceedTheBudget) {
  restart_intensity r{1, 10s};
  time_point t{};
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(r.allow_restart(t + i * 10s)) << i;
}

}  // namespace
}  // namespace vpnbot::supervision
