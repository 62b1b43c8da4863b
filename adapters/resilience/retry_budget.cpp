#include "adapters/resilience/retry_budget.hpp"

namespace vpnbot::resilience {

retry_budget::retry_budget(retry_budget_settings settings)
    : settings_(settings), counts_(settings.window) {}

void retry_budget::on_request(time_point now) {
  counts_.add(now, request);
}

bool retry_budget::try_retry(time_point now) {
  const uint64_t allowed =
      settings_.min_retries + counts_.count(now, request) * settings_.ratio_percent / 100;
  if (counts_.count(now, retry) >= allowed) return false;
  counts_.add(now, retry);
  return true;
}

}  // namespace vpnbot::resilience
