#pragma once

// A disable or remove job is decided when it is queued, but it may run much
// later (the panel down, backoff); a renewal committed meanwhile makes it
// wrong. Just before such a job runs it is checked against the
// subscription's state now: overtaken → done without a panel call.

#include <optional>
#include <string>

#include "adapters/db/subscription_liveness.hpp"
#include "domain/subscriptions/job_kind.hpp"

namespace vpnbot::activation {

// Why the job must not run any more, or nullopt when it must.
//   disable_client: the subscription is enabled (active, not past expiry);
//   remove_client:  the subscription is sold again (see subscription_liveness).
std::optional<std::string> overtaken_by(subscriptions::job_kind kind,
                                        const db::subscription_liveness& now);

}  // namespace vpnbot::activation
