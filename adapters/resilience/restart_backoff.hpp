#pragma once

// How long a supervisor waits before restarting a child that failed: an
// exponential delay between a minimum and a maximum, shortened by a random
// jitter so children that failed together do not restart in lockstep, and
// back at the minimum once the child has stayed up long enough. Plain
// arithmetic on time points the caller passes in, so it needs no clock.

#include <chrono>

namespace vpnbot::supervision {

struct backoff_policy {
  std::chrono::nanoseconds min = std::chrono::milliseconds(100);
  std::chrono::nanoseconds max = std::chrono::seconds(10);
  // A child that ran at least this long before failing starts again at `min`.
  std::chrono::nanoseconds reset = std::chrono::seconds(30);
  // Fraction of the delay the jitter may take off: 0 is none, 1 is up to all.
  double jitter = 0.2;
};

class restart_backoff {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit restart_backoff(backoff_policy policy);

  // The child was (re)started at `now`.
  void started(time_point now);

  // The delay before restarting a child that failed at `now`. `draw` is a
  // number in [0, 1) from the caller's (seedable) random source.
  std::chrono::nanoseconds next_delay(time_point now, double draw);

  // Failures counted since the last reset.
  unsigned attempt() const { return attempt_; }

 private:
  backoff_policy policy_;
  unsigned attempt_ = 0;
  time_point last_start_{};
  bool ever_started_ = false;
};

}  // namespace vpnbot::supervision
