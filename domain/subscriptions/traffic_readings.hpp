#pragma once

// Which of an inbound's traffic counters are ours: only clients whose email
// is one the service writes (client_identity), so a hand-made client never
// lends its figures to a subscription.

#include <vector>

#include "adapters/db/traffic_repository.hpp"
#include "adapters/panel/xui_model.hpp"

namespace vpnbot::activation {

std::vector<db::traffic_reading> traffic_readings(const panel::xui_inbound& inbound);

}  // namespace vpnbot::activation
