#include "adapters/resilience/retry_budget.hpp"

#include <gtest/gtest.h>

namespace vpnbot::resilience {
namespace {

using namespace std::chrono_literals;

const time_point t0 = time_point{} + 5000s;

retry_budget_settings typical() {
  retry_budget_settings s;
  s.window = 10s;
  s.ratio_percent = 20;
  s.min_retries = 2;
  return s;
}

TEST(BreakerRetryBudget, FloorAllowsAFewRetriesWithoutTraffic) {
  retry_budget b(typical());
  EXPECT_TRUE(b.try_retry(t0));
  EXPECT_TRUE(b.try_retry(t0));
  EXPECT_FALSE(b.try_retry(t0));
}

TEST(BreakerRetryBudget, RetriesScaleWithRequestsButNeverMultiplyThem) {
  retry_budget b(typical());
  for (int i = 0; i < 50; ++i) b.on_request(t0);
  int allowed = 0;
  for (int i = 0; i < 100; ++i) allowed += b.try_retry(t0) ? 1 : 0;
  EXPECT_EQ(allowed, 2 + 10);  // floor + 20% of 50
}

TEST(BreakerRetryBudget, RecoversAsTheWindowMoves) {
  retry_budget b(typical());
  EXPECT_TRUE(b.try_retry(t0));
  EXPECT_TRUE(b.try_retry(t0));
  EXPECT_FALSE(b.try_retry(t0 + 5s));
  EXPECT_TRUE(b.try_retry(t0 + 11s));
}

TEST(BreakerRetryBudget, NewRequestsEarnMoreRetries) {
  retry_budget b(typical());
  EXPECT_TRUE(b.try_retry(t0));
  EXPECT_TRUE(b.try_retry(t0));
  EXPECT_FALSE(b.try_retry(t0));
  for (int i = 0; i < 5; ++i) b.on_request(t0 + 1s);
  EXPECT_TRUE(b.try_retry(t0 + 1s));
  EXPECT_FALSE(b.try_retry(t0 + 1s));
}

}  // namespace
}  // namespace vpnbot::resilience
