#pragma once

// Signatures as the payment providers compute them, written against
// OpenSSL's EVP interface directly (not vpnbot's crypto adapter) so the
// emulators check the service independently.

#include <string>
#include <string_view>

namespace vpnbot::emulators {

// Lower-case hex of the digest named by OpenSSL ("md5", "sha256", ...).
std::string hex_digest(std::string_view algorithm, std::string_view data);
// Lower-case hex of HMAC-SHA256 keyed by the raw SHA-256 of `token`
// (CryptoBot's webhook signature).
std::string cryptobot_signature(std::string_view token, std::string_view body);

}  // namespace vpnbot::emulators
