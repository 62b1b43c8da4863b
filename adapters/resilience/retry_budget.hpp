#pragma once

// Caps retries at a share of recent traffic, so that when a peer degrades
// retries cannot multiply the load on it: over the window, retries may not
// exceed min_retries + ratio_percent% of first attempts. The floor lets a
// quiet caller still retry a few times. Time is passed in; nothing here
// reads a clock. Not thread-safe: one owner.

#include "adapters/resilience/rolling_window.hpp"

namespace vpnbot::resilience {

struct retry_budget_settings {
  duration window = std::chrono::seconds(10);
  unsigned ratio_percent = 20;
  unsigned min_retries = 3;
};

class retry_budget {
 public:
  explicit retry_budget(retry_budget_settings settings);

  // Every first attempt of a call.
  void on_request(time_point now);
  // Whether a retry may go now; an allowed retry is counted.
  bool try_retry(time_point now);

 private:
  enum kind : std::size_t { request = 0, retry = 1 };
  retry_budget_settings settings_;
  rolling_window counts_;
};

}  // namespace vpnbot::resilience
