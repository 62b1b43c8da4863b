#pragma once

// A JSON string literal appended to text being written by hand, where a
// document would cost an allocation per member: quotes, backslashes and
// control characters escaped as RFC 8259 (and nlohmann's dump) write them,
// every other byte of valid UTF-8 as it is. Bytes that are not valid UTF-8
// become U+FFFD, one per maximal ill-formed subpart (Unicode 15, 3.9), as
// nlohmann's dump with error_handler_t::replace writes them: the output is
// always valid JSON.

#include <string>
#include <string_view>

namespace vpnbot::codec {

void append_json_string(std::string& out, std::string_view text);

}  // namespace vpnbot::codec
