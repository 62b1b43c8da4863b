#pragma once

// How much the process logs: set by log.level, read by the logger
// (adapters/log), which is why the type lives on the config floor.

#include <optional>
#include <string_view>

namespace vpnbot::config {

enum class log_level { debug = 0, info = 1, warn = 2, error = 3 };

std::optional<log_level> parse_level(std::string_view text);
std::string_view to_string(log_level lvl);

}  // namespace vpnbot::config
