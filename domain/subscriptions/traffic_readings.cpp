#include "domain/subscriptions/traffic_readings.hpp"

#include "adapters/panel/client_identity.hpp"

namespace vpnbot::activation {

std::vector<db::traffic_reading> traffic_readings(const panel::xui_inbound& inbound) {
  std::vector<db::traffic_reading> out;
  for (const auto& stat : inbound.client_stats) {
    auto owner = panel::parse_client_email(stat.email);
    if (!owner) continue;
    out.push_back({owner->subscription_id, stat.email,
                   std::max<int64_t>(0, stat.up) + std::max<int64_t>(0, stat.down)});
  }
  return out;
}

}  // namespace vpnbot::activation
