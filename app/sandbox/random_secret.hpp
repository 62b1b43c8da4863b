#pragma once

// Credentials the sandbox makes up at start for its emulators (bot token,
// panel password, CryptoBot token): nothing of a real account is reused.

#include <cstddef>
#include <string>

namespace vpnbot::sandbox {

// `bytes` random bytes from OpenSSL, as lower-case hex.
std::string random_secret(std::size_t bytes = 16);

}  // namespace vpnbot::sandbox
