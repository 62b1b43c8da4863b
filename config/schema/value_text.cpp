#include "config/schema/value_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

namespace vpnbot::config {

std::optional<uint64_t> parse_uint(const std::string& text) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<duration> parse_duration(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  auto number = parse_uint(text.substr(0, i));
  if (!number) return std::nullopt;
  auto unit = text.substr(i);
  if (unit == "ms") return duration(*number);
  if (unit == "s") return std::chrono::seconds(*number);
  if (unit == "m" || unit == "min") return std::chrono::minutes(*number);
  if (unit == "h") return std::chrono::hours(*number);
  if (unit == "d") return std::chrono::hours(24 * *number);
  return std::nullopt;
}

std::string print_duration(duration d) {
  auto ms = d.count();
  if (ms % 3600000 == 0 && ms != 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0 && ms != 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(
        std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
        item.end());
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace vpnbot::config
