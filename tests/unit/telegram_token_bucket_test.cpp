#include <gtest/gtest.h>

#include <stdexcept>

#include "adapters/telegram/token_bucket.hpp"

namespace vpnbot::telegram {
namespace {

using namespace std::chrono_literals;
using tp = token_bucket::time_point;

const tp origin = tp{} + 1000h;  // any point; the bucket only compares

TEST(TelegramTokenBucket, StartsFullAndDrainsTheBurst) {
  token_bucket b(1, 3);
  EXPECT_EQ(b.next_available(origin), origin);
  EXPECT_TRUE(b.try_take(origin));
  EXPECT_TRUE(b.try_take(origin));
  EXPECT_TRUE(b.try_take(origin));
  EXPECT_FALSE(b.try_take(origin));
  EXPECT_EQ(b.next_available(origin), origin + 1s);
  EXPECT_FALSE(b.try_take(origin + 999ms));
  EXPECT_TRUE(b.try_take(origin + 1s));
  EXPECT_EQ(b.full_at(), origin + 4s);
}

TEST(TelegramTokenBucket, RefillsAtTheRate) {
  token_bucket b(1, 3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(b.try_take(origin));
  // 2.5 s later two tokens are back, not three.
  EXPECT_TRUE(b.try_take(origin + 2500ms));
  EXPECT_TRUE(b.try_take(origin + 2500ms));
  EXPECT_FALSE(b.try_take(origin + 2500ms));
  EXPECT_EQ(b.next_available(origin + 2500ms), origin + 3s);
  // Long idle does not store more than the burst.
  EXPECT_TRUE(b.try_take(origin + 1h));
  EXPECT_TRUE(b.try_take(origin + 1h));
  EXPECT_TRUE(b.try_take(origin + 1h));
  EXPECT_FALSE(b.try_take(origin + 1h));
}

TEST(TelegramTokenBucket, NextAvailableIsExact) {
  token_bucket b(30, 1);
  EXPECT_EQ(b.interval(), 33333334ns);  // rounded up: never faster than 30/s
  tp now = origin;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(b.try_take(now));
    auto next = b.next_available(now);
    ASSERT_GT(next, now);
    ASSERT_FALSE(b.try_take(next - 1ns));
    now = next;
  }
  EXPECT_EQ(now, origin + 1000 * 33333334ns);
}

TEST(TelegramTokenBucket, NeverMoreThanRateTimesWindowPlusBurst) {
  token_bucket b(30, 1);
  int taken = 0;
  // Polled every millisecond, a token waits up to 1 ms: about 10 s / 34 ms.
  for (auto t = origin; t < origin + 10s; t += 1ms) taken += b.try_take(t);
  EXPECT_LE(taken, 300);
  EXPECT_GE(taken, 290);
}

TEST(TelegramTokenBucket, HoldBlocksUntilThenRefillsFromOne) {
  token_bucket b(1, 3);
  b.hold_until(origin + 5s);
  EXPECT_FALSE(b.try_take(origin));
  EXPECT_EQ(b.next_available(origin), origin + 5s);
  EXPECT_TRUE(b.try_take(origin + 5s));
  EXPECT_FALSE(b.try_take(origin + 5s));  // no burst right after a flood pause
  EXPECT_EQ(b.next_available(origin + 5s), origin + 6s);
  b.hold_until(origin + 1s);  // shorter: ignored
  EXPECT_EQ(b.next_available(origin + 5s), origin + 6s);
}

TEST(TelegramTokenBucket, RejectsNonsense) {
  EXPECT_THROW(token_bucket(0, 1), std::invalid_argument);
  EXPECT_THROW(token_bucket(-1, 1), std::invalid_argument);
  EXPECT_THROW(token_bucket(1, 0), std::invalid_argument);
  EXPECT_NO_THROW(token_bucket(0.05, 1));  // 20 per minute, Telegram's group limit
}

}  // namespace
}  // namespace vpnbot::telegram
