#pragma once

// A token bucket kept as a theoretical arrival time (the GCRA form): one time
// point instead of a fractional token count, so the arithmetic is exact
// integer nanoseconds and "next_available" is precisely the moment try_take
// starts to succeed. The caller passes the time in, which keeps it testable
// with a simulated clock.

#include <chrono>

namespace vpnbot::telegram {

class token_bucket {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  // rate: sustained tokens per second (> 0); burst: tokens a full bucket
  // holds (>= 1). The interval between tokens is rounded up, so the bucket
  // never lets more through than the rate. Throws std::invalid_argument for
  // values outside these ranges (configuration is validated before).
  token_bucket(double rate_per_second, unsigned burst);

  bool try_take(time_point now);
  // The earliest time at or after now when try_take succeeds.
  time_point next_available(time_point now) const;
  // From this time on the bucket is full: forgetting it changes nothing.
  time_point full_at() const { return tat_; }
  // Nothing can be taken before t; from t on the bucket refills from one
  // token (a flood pause must not end in a burst). Never shortens a hold.
  void hold_until(time_point t);

  std::chrono::nanoseconds interval() const { return interval_; }

 private:
  std::chrono::nanoseconds interval_;
  std::chrono::nanoseconds tolerance_;  // (burst - 1) intervals
  time_point tat_ = time_point::min();  // theoretical arrival time; min: never used
};

}  // namespace vpnbot::telegram
