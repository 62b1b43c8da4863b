#pragma once

// Event counts over the recent past, in fixed time slices: memory stays
// constant however many events arrive. A count covers between span - slice
// and span of history, which is precise enough for rates and budgets.
// Time is passed in; nothing here reads a clock.

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

namespace vpnbot::resilience {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using duration = clock::duration;

class rolling_window {
 public:
  static constexpr std::size_t kinds = 2;  // e.g. successes and failures

  // Throws std::invalid_argument unless span > 0 and slices > 0.
  explicit rolling_window(duration span, unsigned slices = 10);

  void add(time_point now, std::size_t kind, uint64_t n = 1);
  uint64_t count(time_point now, std::size_t kind) const;
  void clear();

 private:
  struct slice {
    int64_t index = INT64_MIN;  // which time slice the counts belong to
    std::array<uint64_t, kinds> counts{};
  };
  int64_t index_of(time_point t) const;

  duration width_;
  std::vector<slice> slices_;
};

}  // namespace vpnbot::resilience
