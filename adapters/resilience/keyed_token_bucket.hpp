#pragma once

// A token bucket per key (e.g. a source address on one route): each holds
// up to `burst` tokens, starts full and regains `burst` tokens per
// `period`, evenly. take() spends one when there is one. Strangers choose
// their keys, so at most `max_keys` buckets are kept: full ones (which
// behave like new ones) are dropped first, and when every kept bucket is in
// use the keys beyond share a single bucket. Time is passed in; nothing
// here reads a clock. Not thread-safe: one owner.

#include <cstddef>
#include <string>
#include <unordered_map>

#include "adapters/resilience/rolling_window.hpp"

namespace vpnbot::resilience {

class keyed_token_bucket {
 public:
  keyed_token_bucket(unsigned burst, duration period, std::size_t max_keys = 10000);

  // Whether `key` had a token; it is spent.
  bool take(const std::string& key, time_point now);

  std::size_t keys() const { return buckets_.size(); }

 private:
  struct bucket {
    double tokens = 0;
    time_point updated{};
  };

  void refill(bucket& b, time_point now) const;
  void drop_full(time_point now);

  double burst_;
  duration period_;
  std::size_t max_keys_;
  std::unordered_map<std::string, bucket> buckets_;
  bucket overflow_;
};

}  // namespace vpnbot::resilience
