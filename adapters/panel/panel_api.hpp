#pragma once

// Which client API a 3x-ui panel speaks: the legacy /panel/api/inbounds
// client endpoints (v1.x to v3.0.x) or /panel/api/clients (v3.1+,
// PROTOCOLS.md §1.8). A panel's `version` setting picks one or leaves it to
// the probe after login:
//   ""  or "auto"  unknown: probed (a 404 on a legacy endpoint after a
//                  successful login means 3.1+);
//   "legacy"       the legacy API, exact version unknown;
//   "3.1"          the 3.1 API;
//   "2.8.5", ...   an exact version: the API follows from it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/panel/xui_protocol.hpp"

namespace vpnbot::panel {

// remnawave: not a 3x-ui API at all; a panel of kind "remnawave" speaks it
// (remnawave_protocol), never probed.
enum class panel_api { legacy, v3_1, remnawave };

// "legacy", "3.1" or "remnawave": the metric label and the log value.
std::string_view to_string(panel_api api);

struct api_choice {
  std::optional<panel_api> api;        // nullopt: probe at login
  std::optional<xui_version> version;  // an exact version when one was given
};

// The `version` setting read; nullopt when it is none of the forms above.
std::optional<api_choice> parse_api_choice(std::string_view text);

// The `version` setting checked: the configuration error text, or nothing.
std::optional<std::string> check_panel_version(std::string_view text);

// A Remnawave panel's `squads` setting: comma-separated internal squad
// UUIDs, blanks ignored; and the setting checked (the error text, or nothing).
std::vector<std::string> parse_squads(std::string_view text);
std::optional<std::string> check_squads(std::string_view text);

// The API a version has.
panel_api api_of(xui_version version);

}  // namespace vpnbot::panel
