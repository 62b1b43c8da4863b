#include "config/log_level.hpp"

#include <array>
#include <cstddef>

namespace vpnbot::config {

std::optional<log_level> parse_level(std::string_view text) {
  if (text == "debug") return log_level::debug;
  if (text == "info") return log_level::info;
  if (text == "warn" || text == "warning") return log_level::warn;
  if (text == "error") return log_level::error;
  return std::nullopt;
}

std::string_view to_string(log_level lvl) {
  static constexpr std::array<std::string_view, 4> names{"debug", "info", "warn", "error"};
  return names[static_cast<std::size_t>(lvl)];
}

}  // namespace vpnbot::config
