#pragma once

// The data 3x-ui exchanges (PROTOCOLS.md §1.6), read tolerantly: fields
// added or changed across panel versions are optional, `tgId` may be "" or
// a number, `settings` / `streamSettings` / `sniffing` arrive as JSON
// *strings* (an already-decoded object is accepted too), `onlines` may be
// null. A reply that has the wrong shape where it matters is an error value
// (panel_errc::malformed_reply), never an exception.

#include <caf/expected.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vpnbot::panel {

// One entry of an inbound's settings.clients.
struct xui_client {
  std::string id;  // UUID for vless/vmess
  std::string flow;
  std::string email;
  int64_t limit_ip = 0;
  int64_t total_bytes = 0;     // `totalGB`, which holds bytes; 0 = unlimited
  int64_t expiry_time_ms = 0;  // 0 = never; negative = -duration from first use
  bool enable = true;
  int64_t tg_id = 0;  // 0 when the panel stored ""
  std::string sub_id;
  int64_t reset_days = 0;
  std::string comment;

  bool operator==(const xui_client&) const = default;
};

// A row of client_traffics.
struct xui_client_traffic {
  int64_t id = 0;
  int64_t inbound_id = 0;
  bool enable = true;
  std::string email;
  std::string uuid;    // v2.8.5+
  std::string sub_id;  // v2.8.5+
  int64_t up = 0;
  int64_t down = 0;
  int64_t all_time = 0;  // v2.7+
  int64_t expiry_time_ms = 0;
  int64_t total_bytes = 0;
  int64_t reset_days = 0;
  int64_t last_online_ms = 0;  // v2.7+
};

struct xui_inbound {
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
  nlohmann::json settings = nlohmann::json::object();         // decoded from the string
  nlohmann::json stream_settings = nlohmann::json::object();  // decoded from the string
  nlohmann::json sniffing = nlohmann::json::object();         // decoded from the string
  std::string tag;
  std::vector<xui_client_traffic> client_stats;
  std::vector<xui_client> clients;  // settings.clients, parsed

  // The client with this email (compared exactly, as the link builder does).
  const xui_client* find_client(std::string_view email) const;
};

caf::expected<xui_client> parse_client(const nlohmann::json& j);
caf::expected<xui_client_traffic> parse_client_traffic(const nlohmann::json& j);
caf::expected<xui_inbound> parse_inbound(const nlohmann::json& j);

// `obj` of /list.
caf::expected<std::vector<xui_inbound>> parse_inbounds(const nlohmann::json& obj);
// `obj` of /getClientTraffics/:email: null (unknown email on ≤v2.8.0) is nullopt.
caf::expected<std::optional<xui_client_traffic>> parse_optional_client_traffic(
    const nlohmann::json& obj);
// `obj` of /onlines: null means nobody is online.
caf::expected<std::vector<std::string>> parse_onlines(const nlohmann::json& obj);

// The client as settings.clients holds it (tgId as a number, the panel's
// own field names). Server-managed timestamps are left out.
nlohmann::json to_json(const xui_client& client);

}  // namespace vpnbot::panel
