#pragma once

// Message digests, HMAC and constant-time comparison over OpenSSL, for the
// payment providers' signatures. Results are raw bytes; hex is a separate
// concern (codec/hex.hpp).

#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::crypto {

enum class hash_algorithm { md5, sha1, sha256, sha384, sha512 };

std::string_view to_string(hash_algorithm algorithm);
// Accepts the names to_string writes, case-insensitively.
std::optional<hash_algorithm> parse_hash_algorithm(std::string_view name);
// A configured algorithm name: the configuration error text, or nothing when
// parse_hash_algorithm knows it.
std::optional<std::string> check_hash_algorithm(std::string_view name);

std::string digest(hash_algorithm algorithm, std::string_view data);
std::string hmac(hash_algorithm algorithm, std::string_view key, std::string_view data);

// Equal length and equal bytes, without an early exit on the first
// difference (the length itself is not secret).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace vpnbot::crypto
