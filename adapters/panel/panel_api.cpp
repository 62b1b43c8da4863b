#include "adapters/panel/panel_api.hpp"

namespace vpnbot::panel {

std::string_view to_string(panel_api api) {
  return api == panel_api::v3_1 ? "3.1" : "legacy";
}

panel_api api_of(xui_version version) {
  return has_legacy_client_api(version) ? panel_api::legacy : panel_api::v3_1;
}

std::optional<api_choice> parse_api_choice(std::string_view text) {
  if (text.empty() || text == "auto") return api_choice{};
  if (text == "legacy") return api_choice{panel_api::legacy, std::nullopt};
  auto version = parse_xui_version(text);
  if (!version) return std::nullopt;
  // "3.1" names the API, not a version whose details (cookie, CSRF) differ.
  return api_choice{api_of(*version), version};
}

std::optional<std::string> check_panel_version(std::string_view text) {
  if (parse_api_choice(text)) return std::nullopt;
  return "expected auto, legacy, 3.1 or a version such as 2.8.5";
}

}  // namespace vpnbot::panel
