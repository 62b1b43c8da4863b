#include "adapters/resilience/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

namespace vpnbot::resilience {
namespace {

using namespace std::chrono_literals;

backoff_settings typical() {
  backoff_settings s;
  s.min = 100ms;
  s.max = 10s;
  s.factor = 2;
  s.jitter_percent = 20;
  return s;
}

TEST(BreakerBackoff, CeilingGrowsGeometricallyUpToMax) {
  auto s = typical();
  EXPECT_EQ(backoff_ceiling(s, 0), 100ms);
  EXPECT_EQ(backoff_ceiling(s, 1), 200ms);
  EXPECT_EQ(backoff_ceiling(s, 5), 3200ms);
  EXPECT_EQ(backoff_ceiling(s, 7), 10s);
  EXPECT_EQ(backoff_ceiling(s, 1000), 10s);  // no overflow however long it fails
}

TEST(BreakerBackoff, DelaysStayWithinMinMaxAndTheJitterBand) {
  auto s = typical();
  backoff b(s, 42);
  for (unsigned attempt = 0; attempt < 200; ++attempt) {
    auto ceiling = backoff_ceiling(s, attempt);
    auto d = b.next();
    EXPECT_GE(d, s.min);
    EXPECT_LE(d, s.max);
    EXPECT_LE(d, ceiling);
    EXPECT_GE(d, std::max<duration>(s.min, ceiling - ceiling / 5));
  }
  EXPECT_EQ(b.attempts(), 200u);
}

TEST(BreakerBackoff, JitterActuallyVaries) {
  auto s = typical();
  s.jitter_percent = 100;
  backoff b(s, 7);
  for (int i = 0; i < 6; ++i) b.next();  // ceiling 3.2 s from here on
  std::set<duration::rep> seen;
  for (int i = 0; i < 50; ++i) {
    b.reset();
    for (int j = 0; j < 6; ++j) b.next();
    seen.insert(b.next().count());
  }
  EXPECT_GT(seen.size(), 40u);
}

TEST(BreakerBackoff, SameSeedSameDelaysAndResetStartsOver) {
  backoff a(typical(), 1234);
  backoff b(typical(), 1234);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.next(), b.next());
  a.reset();
  EXPECT_EQ(a.attempts(), 0u);
  EXPECT_LE(a.next(), 100ms);
}

TEST(BreakerBackoff, WithoutJitterItIsTheCeiling) {
  auto s = typical();
  s.jitter_percent = 0;
  backoff b(s, 1);
  EXPECT_EQ(b.next(), 100ms);
  EXPECT_EQ(b.next(), 200ms);
  EXPECT_EQ(b.next(), 400ms);
}

TEST(BreakerBackoff, RejectsNonsense) {
  auto s = typical();
  s.min = 0ms;
  EXPECT_THROW(backoff(s, 1), std::invalid_argument);
  s = typical();
  s.max = 50ms;
  EXPECT_THROW(backoff(s, 1), std::invalid_argument);
  s = typical();
  s.jitter_percent = 101;
  EXPECT_THROW(backoff(s, 1), std::invalid_argument);
}

}  // namespace
}  // namespace vpnbot::resilience
