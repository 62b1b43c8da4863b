#include "adapters/telegram/token_bucket.hpp"

#include <cmath>
#include <stdexcept>

namespace vpnbot::telegram {

token_bucket::token_bucket(double rate_per_second, unsigned burst) {
  if (!(rate_per_second > 0) || !std::isfinite(rate_per_second) || rate_per_second > 1e9)
    throw std::invalid_argument("token_bucket: rate must be in (0, 1e9] per second");
  if (burst < 1) throw std::invalid_argument("token_bucket: burst must be at least 1");
  interval_ = std::chrono::nanoseconds(static_cast<long long>(std::ceil(1e9 / rate_per_second)));
  tolerance_ = interval_ * static_cast<long long>(burst - 1);
}

bool token_bucket::try_take(time_point now) {
  if (next_available(now) > now) return false;
  tat_ = (tat_ > now ? tat_ : now) + interval_;
  return true;
}

token_bucket::time_point token_bucket::next_available(time_point now) const {
  // Conforming when tat - tolerance <= now; written without subtracting from
  // tat, which is time_point::min() until first use.
  if (tat_ <= now + tolerance_) return now;
  return tat_ - tolerance_;
}

void token_bucket::hold_until(time_point t) {
  if (t + tolerance_ > tat_) tat_ = t + tolerance_;
}

}  // namespace vpnbot::telegram
