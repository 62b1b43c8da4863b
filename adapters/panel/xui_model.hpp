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

#include "messages/panel_client.hpp"
#include "messages/panel_client_traffic.hpp"
#include "messages/panel_inbound.hpp"

namespace vpnbot::panel {

// 3x-ui's shapes are the panel messages' value types (messages/panel_*.hpp);
// what 3x-ui calls their fields:
//   xui_client: one entry of an inbound's settings.clients; total_bytes is
//     `totalGB` (which holds bytes), tg_id is 0 when the panel stored "".
//   xui_client_traffic: a row of client_traffics; uuid and sub_id from
//     v2.8.5, all_time and last_online_ms from v2.7.
//   xui_inbound: settings, streamSettings and sniffing decoded from their
//     JSON strings, clients parsed from settings.clients.
using xui_client = panel_client;
using xui_client_traffic = panel_client_traffic;
using xui_inbound = panel_inbound;

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
