#pragma once

// JSON-lines logging to stderr: one object per line with time, level,
// component, message and free-form fields. Secret-looking fields are redacted
// here, at the only place lines are written, so no caller can forget.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "config/log_level.hpp"
#include "config/secret_name.hpp"

namespace vpnbot::log {

// The operator sets the level in the configuration; the logger filters by it.
using level = config::log_level;
using config::parse_level;
using config::to_string;

void set_level(level lvl);
level current_level();

// Replaces the stderr sink (tests capture lines with it); nullptr restores it.
void set_sink(std::function<void(const std::string& line)> sink);

// The same names --check-config masks.
using config::is_secret_name;

// Masks secret-named keys of a JSON object, recursively.
nlohmann::json redact(nlohmann::json fields);

void write(level lvl, std::string_view component, std::string_view message,
           nlohmann::json fields = nlohmann::json::object());

inline void debug(std::string_view c, std::string_view m,
                  nlohmann::json f = nlohmann::json::object()) {
  write(level::debug, c, m, std::move(f));
}
inline void info(std::string_view c, std::string_view m,
                 nlohmann::json f = nlohmann::json::object()) {
  write(level::info, c, m, std::move(f));
}
inline void warn(std::string_view c, std::string_view m,
                 nlohmann::json f = nlohmann::json::object()) {
  write(level::warn, c, m, std::move(f));
}
inline void error(std::string_view c, std::string_view m,
                  nlohmann::json f = nlohmann::json::object()) {
  write(level::error, c, m, std::move(f));
}

}  // namespace vpnbot::log
