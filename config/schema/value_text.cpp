#include "config/schema/value_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
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
  uint64_t ms_per_unit = 0;
  if (unit == "ms")
    ms_per_unit = 1;
  else if (unit == "s")
    ms_per_unit = 1000;
  else if (unit == "m" || unit == "min")
    ms_per_unit = 60'000;
  else if (unit == "h")
    ms_per_unit = 3'600'000;
  else if (unit == "d")
    ms_per_unit = 86'400'000;
  else
    return std::nullopt;
  // Beyond what milliseconds hold, a value would wrap to nonsense (a
  // negative interval): refused like any other bad text.
  if (*number > static_cast<uint64_t>(std::numeric_limits<duration::rep>::max()) / ms_per_unit)
    return std::nullopt;
  return duration(static_cast<duration::rep>(*number * ms_per_unit));
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

std::optional<std::string> parse_host_port(const std::string& v, std::string& host,
                                           uint16_t& port) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return "expected host:port, e.g. 127.0.0.1:8080";
  auto number = parse_uint(v.substr(colon + 1));
  if (!number || *number > 65535) return "expected a port from 0 to 65535";
  auto h = v.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  host = h;
  port = static_cast<uint16_t>(*number);
  return std::nullopt;
}

std::string print_host_port(std::string host, uint16_t port) {
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

}  // namespace vpnbot::config
