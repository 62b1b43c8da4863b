#pragma once

// A VPN client as a panel must hold it: who it is (UUID, email, subscription
// id), until when and how much it may use. Panel-neutral: the panel
// adapter (adapters/panel/xui_model) reads and writes it in its panel's own
// format.

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>

namespace vpnbot {

struct panel_client {
  std::string id;  // UUID for vless/vmess
  std::string flow;
  std::string email;
  int64_t limit_ip = 0;
  int64_t total_bytes = 0;     // 0 = unlimited
  int64_t expiry_time_ms = 0;  // 0 = never; negative = -duration from first use
  bool enable = true;
  int64_t tg_id = 0;  // 0: not tied to a Telegram user
  std::string sub_id;
  int64_t reset_days = 0;
  std::string comment;
  // The subscription URL the panel made for the client (Remnawave's
  // subscriptionUrl); empty: the panel makes none (3x-ui).
  std::string sub_url{};

  bool operator==(const panel_client&) const = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_client& x) {
  return f(caf::meta::type_name("panel_client"), x.id, x.flow, x.email, x.limit_ip, x.total_bytes,
           x.expiry_time_ms, x.enable, x.tg_id, x.sub_id, x.reset_days, x.comment, x.sub_url);
}

}  // namespace vpnbot
