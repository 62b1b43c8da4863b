#pragma once

// A JSON string literal appended to text being written by hand, where a
// document would cost an allocation per member: quotes, backslashes and
// control characters escaped as RFC 8259 (and nlohmann's dump) write them,
// every other byte, UTF-8 included, as it is. The text must be UTF-8.

#include <string>
#include <string_view>

namespace vpnbot::codec {

void append_json_string(std::string& out, std::string_view text);

}  // namespace vpnbot::codec
