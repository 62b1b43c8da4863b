#pragma once

// Delays between attempts: exponential growth from min to max, with jitter
// so that many callers failing together do not retry together. Attempt n
// (from 0) has the ceiling min·factor^n, capped at max, and waits a uniform
// random time in [max(min, ceiling·(1 − jitter)), ceiling]: never below min,
// never above max. The random engine is seeded by the caller, so a given
// seed always yields the same delays. Not thread-safe: one owner.

#include <cstdint>
#include <random>

#include "adapters/resilience/rolling_window.hpp"

namespace vpnbot::resilience {

struct backoff_settings {
  duration min = std::chrono::milliseconds(200);
  duration max = std::chrono::seconds(30);
  unsigned factor = 2;
  unsigned jitter_percent = 20;  // 0: no jitter, 100: anywhere from min to the ceiling
};

// The ceiling of attempt n; throws std::invalid_argument for settings
// without 0 < min ≤ max, factor ≥ 1 and jitter ≤ 100.
duration backoff_ceiling(const backoff_settings& settings, unsigned attempt);

class backoff {
 public:
  backoff(backoff_settings settings, uint64_t seed);

  // The delay before the next attempt; each call counts one attempt.
  duration next();
  // After a success: start again from min.
  void reset() { attempt_ = 0; }
  unsigned attempts() const { return attempt_; }

 private:
  backoff_settings settings_;
  std::mt19937_64 engine_;
  unsigned attempt_ = 0;
};

}  // namespace vpnbot::resilience
