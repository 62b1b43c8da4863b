#pragma once

// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6
// digits — what 3x-ui's two-factor login checks), from the base32 secret
// the panel shows when two-factor authentication is turned on.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::crypto {

// RFC 4648 base32, case-insensitive, padding and spaces ignored; nullopt on
// any other character.
std::optional<std::string> base32_decode(std::string_view text);

// A configured secret: the configuration error text, or nothing when it is
// base32 or empty (no two-factor login).
std::optional<std::string> check_totp_secret(std::string_view base32_secret);

// The code valid at `now`; nullopt when the secret is not base32.
std::optional<std::string> totp(std::string_view base32_secret,
                                std::chrono::system_clock::time_point now, unsigned digits = 6,
                                std::chrono::seconds step = std::chrono::seconds(30));

}  // namespace vpnbot::crypto
