#pragma once

// A panel's inbound (the listener clients connect to) with its clients and
// their counters. Its protocol settings are kept as the panel's JSON: share
// links are built from them (adapters/panel/link).

#include <caf/allowed_unsafe_message_type.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "messages/panel_client.hpp"
#include "messages/panel_client_traffic.hpp"

namespace vpnbot {

struct panel_inbound {
  int64_t id = 0;
  int64_t up = 0;
  int64_t down = 0;
  int64_t total = 0;
  std::string remark;
  bool enable = true;
  int64_t expiry_time_ms = 0;
  std::string listen;
  int port = 0;
  std::string protocol;
  nlohmann::json settings = nlohmann::json::object();
  nlohmann::json stream_settings = nlohmann::json::object();
  nlohmann::json sniffing = nlohmann::json::object();
  std::string tag;
  std::vector<panel_client_traffic> client_stats;
  std::vector<panel_client> clients;  // the clients `settings` lists

  // The client with this email (compared exactly, as the link builder does).
  const panel_client* find_client(std::string_view email) const;
};

}  // namespace vpnbot

// Local only: it holds decoded JSON, which CAF cannot serialize.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::panel_inbound)
