#include "adapters/resilience/keyed_token_bucket.hpp"

#include <gtest/gtest.h>

namespace vpnbot::resilience {
namespace {

using namespace std::chrono_literals;

TEST(KeyedTokenBucket, EachKeySpendsItsBurstThenRegainsItOverThePeriod) {
  keyed_token_bucket b{3, 60s};
  time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(b.take("a", t0)) << i;
  EXPECT_FALSE(b.take("a", t0));
  EXPECT_TRUE(b.take("b", t0));  // another key, its own bucket
  EXPECT_FALSE(b.take("a", t0 + 19s));
  EXPECT_TRUE(b.take("a", t0 + 21s));  // a third of the period: one token back
  EXPECT_FALSE(b.take("a", t0 + 22s));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(b.take("a", t0 + 1h)) << i;  // full, not more
  EXPECT_FALSE(b.take("a", t0 + 1h));
}

TEST(KeyedTokenBucket, KeysBeyondTheCapShareOneBucketAndFullOnesMakeRoom) {
  keyed_token_bucket b{1, 60s, 2};
  time_point t0{};
  EXPECT_TRUE(b.take("a", t0));
  EXPECT_TRUE(b.take("b", t0));
  EXPECT_TRUE(b.take("c", t0));   // the shared bucket's token
  EXPECT_FALSE(b.take("d", t0));  // shared and spent
  EXPECT_EQ(b.keys(), 2u);
  EXPECT_TRUE(b.take("d", t0 + 60s));  // "a" and "b" are full again: dropped, "d" kept
  EXPECT_EQ(b.keys(), 1u);
}

}  // namespace
}  // namespace vpnbot::resilience
