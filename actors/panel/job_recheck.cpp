#include "actors/panel/job_recheck.hpp"

namespace vpnbot::activation {

std::optional<std::string> overtaken_by(const std::string& kind,
                                        const db::subscription_liveness& now) {
  if (kind == "disable_client" && now.enabled) return "skipped: the subscription is active again";
  if (kind == "remove_client" && now.sold) return "skipped: the subscription is sold again";
  return std::nullopt;
}

}  // namespace vpnbot::activation
