#pragma once

// One client's traffic counters as a panel reports them. Fields a panel
// version does not report stay at their zero value.

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>

namespace vpnbot {

struct panel_client_traffic {
  int64_t id = 0;
  int64_t inbound_id = 0;
  bool enable = true;
  std::string email;
  std::string uuid;
  std::string sub_id;
  int64_t up = 0;
  int64_t down = 0;
  int64_t all_time = 0;
  int64_t expiry_time_ms = 0;
  int64_t total_bytes = 0;
  int64_t reset_days = 0;
  int64_t last_online_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_client_traffic& x) {
  return f(caf::meta::type_name("panel_client_traffic"), x.id, x.inbound_id, x.enable, x.email,
           x.uuid, x.sub_id, x.up, x.down, x.all_time, x.expiry_time_ms, x.total_bytes,
           x.reset_days, x.last_online_ms);
}

}  // namespace vpnbot
