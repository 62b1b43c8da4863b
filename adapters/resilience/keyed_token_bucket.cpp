#include "adapters/resilience/keyed_token_bucket.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>

namespace vpnbot::resilience {

keyed_token_bucket::keyed_token_bucket(unsigned burst, duration period, std::size_t max_keys)
    : burst_(burst), period_(period), max_keys_(std::max<std::size_t>(1, max_keys)) {
  overflow_.tokens = burst_;
}

void keyed_token_bucket::refill(bucket& b, time_point now) const {
  if (now <= b.updated) return;
  auto elapsed = std::chrono::duration<double>(now - b.updated).count();
  auto per_second = burst_ / std::max(1e-9, std::chrono::duration<double>(period_).count());
  b.tokens = std::min(burst_, b.tokens + elapsed * per_second);
  b.updated = now;
}

void keyed_token_bucket::drop_full(time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

bool keyed_token_bucket::take(const std::string& key, time_point now) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) drop_full(now);
    if (buckets_.size() < max_keys_) it = buckets_.emplace(key, bucket{burst_, now}).first;
  }
  auto& b = it != buckets_.end() ? it->second : overflow_;
  refill(b, now);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace vpnbot::resilience
