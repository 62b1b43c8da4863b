#include "adapters/resilience/restart_backoff.hpp"

#include <algorithm>

namespace vpnbot::supervision {

restart_backoff::restart_backoff(backoff_policy policy) : policy_(policy) {
  policy_.max = std::max(policy_.max, policy_.min);
  policy_.jitter = std::clamp(policy_.jitter, 0.0, 1.0);
}

void restart_backoff::started(time_point now) {
  last_start_ = now;
  ever_started_ = true;
}

std::chrono::nanoseconds restart_backoff::next_delay(time_point now, double draw) {
  if (ever_started_ && now - last_start_ >= policy_.reset) attempt_ = 0;
  // Doubling stops at the cap, so a long crash loop cannot overflow.
  auto base = policy_.min;
  for (unsigned i = 0; i < attempt_ && base < policy_.max; ++i) base *= 2;
  base = std::min(base, policy_.max);
  ++attempt_;
  auto cut = policy_.jitter * std::clamp(draw, 0.0, 1.0);
  return std::chrono::nanoseconds(
      static_cast<int64_t>(static_cast<double>(base.count()) * (1.0 - cut)));
}

}  // namespace vpnbot::supervision
