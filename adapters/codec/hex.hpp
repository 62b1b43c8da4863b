#pragma once

// Hex for digests and signatures: written lower case, read in either case.

#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::codec {

std::string hex_encode(std::string_view bytes);

// nullopt for an odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace vpnbot::codec
