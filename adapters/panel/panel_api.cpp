#include "adapters/panel/panel_api.hpp"

namespace vpnbot::panel {

std::string_view to_string(panel_api api) {
  switch (api) {
    case panel_api::legacy:
      return "legacy";
    case panel_api::v3_1:
      return "3.1";
    case panel_api::remnawave:
      return "remnawave";
  }
  return "legacy";
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

std::vector<std::string> parse_squads(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<std::string> check_squads(std::string_view text) {
  // 8-4-4-4-12 hex digits.
  auto uuid = [](std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      char c = s[i];
      bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash ? c != '-' : !hex) return false;
    }
    return true;
  };
  for (const auto& s : parse_squads(text))
    if (!uuid(s)) return "expected internal squad UUIDs, comma-separated; not one: " + s;
  return std::nullopt;
}

}  // namespace vpnbot::panel
