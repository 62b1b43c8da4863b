#include "domain/bot/flood_memory.hpp"

#include <gtest/gtest.h>

namespace vpnbot::telegram {
namespace {

using namespace std::chrono_literals;

constexpr int64_t second = 1'000'000;  // µs
const db::flood_rule rule{10s, 3};

std::vector<int64_t> times(const flood_memory& m) {
  return {m.received_us.begin(), m.received_us.end()};
}

TEST(FloodMemory, ASeedIsTheWindowReadLatestFirstKeptInOrder) {
  auto m = seeded_flood_memory({{30 * second, 20 * second, 25 * second}, 21 * second});
  EXPECT_TRUE(m.known);
  EXPECT_EQ(times(m), (std::vector<int64_t>{20 * second, 25 * second, 30 * second}));
  EXPECT_EQ(m.warned_us, 21 * second);
  EXPECT_FALSE(flood_memory{}.known) << "nothing remembered: the window is read first";
}

TEST(FloodMemory, CountsWhatCameStrictlyWithinTheWindowUpToTheLimit) {
  auto m = seeded_flood_memory({{1 * second, 5 * second, 6 * second}, 0});
  auto at_11 = judge_flood(m, 11 * second, rule);
  EXPECT_EQ(at_11.earlier_in_window, 2) << "the update 10 s before is out, as the database counts";
  EXPECT_FALSE(at_11.warned_in_window);
  EXPECT_EQ(judge_flood(m, 10 * second, rule).earlier_in_window, 3);
  m.received_us.push_back(7 * second);
  EXPECT_EQ(judge_flood(m, 10 * second, rule).earlier_in_window, 3) << "counted up to the limit";
  EXPECT_EQ(judge_flood(m, 30 * second, rule).earlier_in_window, 0);
}

TEST(FloodMemory, AWarningCountsWhileItIsInTheWindow) {
  flood_memory m{{}, 0, true};
  remember_update(m, 1 * second, true, rule);
  EXPECT_TRUE(judge_flood(m, 2 * second, rule).warned_in_window);
  EXPECT_TRUE(judge_flood(m, 11 * second - 1, rule).warned_in_window);
  EXPECT_FALSE(judge_flood(m, 11 * second, rule).warned_in_window);
  remember_update(m, 12 * second, false, rule);
  EXPECT_EQ(m.warned_us, 0) << "forgotten once out of every later update's window";
  EXPECT_EQ(times(m), (std::vector<int64_t>{12 * second}));
}

TEST(FloodMemory, KeepsOnlyTheLatestUpToTheLimitWithinTheWindow) {
  flood_memory m{{}, 0, true};
  for (int64_t t : {1, 2, 3, 4, 5}) remember_update(m, t * second, false, rule);
  EXPECT_EQ(times(m), (std::vector<int64_t>{3 * second, 4 * second, 5 * second}));
  remember_update(m, 14 * second, false, rule);
  EXPECT_EQ(times(m), (std::vector<int64_t>{5 * second, 14 * second}))
      << "what no later update can count is left behind";
  remember_update(m, 13 * second, false, rule);
  EXPECT_EQ(times(m), (std::vector<int64_t>{5 * second, 13 * second, 14 * second}))
      << "kept in order whatever the order taken";
}

}  // namespace
}  // namespace vpnbot::telegram
