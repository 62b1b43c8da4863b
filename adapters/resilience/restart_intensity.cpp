#include "adapters/resilience/restart_intensity.hpp"

namespace vpnbot::supervision {

restart_intensity::restart_intensity(unsigned max_restarts, std::chrono::nanoseconds within)
    : max_restarts_(max_restarts), within_(within) {}

bool restart_intensity::allow_restart(time_point now) {
  while (!recent_.empty() && now - recent_.front() >= within_) recent_.pop_front();
  recent_.push_back(now);
  return recent_.size() <= max_restarts_;
}

}  // namespace vpnbot::supervision
