#pragma once

// JSON-lines logging to stderr: one object per line with time, level,
// component, message and free-form fields. Secret-looking fields are redacted
// here, at the only place lines are written, so no caller can forget.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };

std::optional<level> parse_level(std::string_view text);
std::string_view to_string(level lvl);

void set_level(level lvl);
level current_level();

// Replaces the stderr sink (tests capture lines with it); nullptr restores it.
void set_sink(std::function<void(const std::string& line)> sink);

// True for names that carry credentials: token, password, secret, key, ...
bool is_secret_name(std::string_view name);

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
