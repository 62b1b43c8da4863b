#pragma once

// Standard base64 with padding (RFC 4648 §4), as HTTP Basic auth wants it.

#include <string>
#include <string_view>

namespace vpnbot::codec {

std::string base64_encode(std::string_view bytes);

}  // namespace vpnbot::codec
