#include "domain/subscriptions/job_recheck.hpp"

namespace vpnbot::activation {

std::optional<std::string> overtaken_by(subscriptions::job_kind kind,
                                        const db::subscription_liveness& now) {
  if (kind == subscriptions::job_kind::disable_client && now.enabled)
    return "skipped: the subscription is active again";
  if (kind == subscriptions::job_kind::remove_client && now.sold)
    return "skipped: the subscription is sold again";
  return std::nullopt;
}

}  // namespace vpnbot::activation
