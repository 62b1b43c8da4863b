#pragma once

// The restart budget of one supervisor: at most `max_restarts` restarts in
// any window of `within`. One restart more means restarting does not help
// and the failure belongs to the supervisor's own parent.

#include <chrono>
#include <cstddef>
#include <deque>

namespace vpnbot::supervision {

class restart_intensity {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  restart_intensity(unsigned max_restarts, std::chrono::nanoseconds within);

  // Records a restart at `now`; false when it exceeds the budget.
  bool allow_restart(time_point now);

  // Restarts recorded inside the window that ended at the last call.
  std::size_t recent() const { return recent_.size(); }

  unsigned max_restarts() const { return max_restarts_; }
  std::chrono::nanoseconds within() const { return within_; }

 private:
  unsigned max_restarts_;
  std::chrono::nanoseconds within_;
  std::deque<time_point> recent_;
};

}  // namespace vpnbot::supervision
