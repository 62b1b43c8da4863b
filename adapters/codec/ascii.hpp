#pragma once

// Case folding for protocol text (header names, commands, hex, statuses):
// ASCII letters only, whatever the process locale.

#include <string>
#include <string_view>

namespace vpnbot::codec {

std::string ascii_lower(std::string_view text);

}  // namespace vpnbot::codec
