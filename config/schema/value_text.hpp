#pragma once

// The text forms of values shared by the schema's keys: whole numbers,
// durations ("500ms", "10s", "5m", "1h", "3d") and comma-separated lists.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace vpnbot::config {

std::optional<uint64_t> parse_uint(const std::string& text);

std::optional<duration> parse_duration(const std::string& text);

// The largest unit that divides `d` exactly, so defaults read as written.
std::string print_duration(duration d);

// "a, b,,c" -> {"a", "b", "c"}: items without spaces, empty ones dropped.
std::vector<std::string> comma_list(const std::string& text);

// "host:port" ("[::1]:80" for IPv6) into its parts; an error text otherwise.
std::optional<std::string> parse_host_port(const std::string& v, std::string& host, uint16_t& port);
std::string print_host_port(std::string host, uint16_t port);

}  // namespace vpnbot::config
