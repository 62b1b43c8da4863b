#include "adapters/crypto/totp.hpp"

#include <cctype>
#include <cstdint>

#include "adapters/crypto/digest.hpp"

namespace vpnbot::crypto {

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    auto c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    if (c == '=' || c == ' ') continue;
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= '2' && c <= '7')
      value = c - '2' + 26;
    else
      return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<std::string> check_totp_secret(std::string_view base32_secret) {
  if (base32_secret.empty() || base32_decode(base32_secret)) return std::nullopt;
  return "expected the base32 secret the panel shows";
}

std::optional<std::string> totp(std::string_view base32_secret,
                                std::chrono::system_clock::time_point now, unsigned digits,
                                std::chrono::seconds step) {
  auto key = base32_decode(base32_secret);
  if (!key || key->empty() || digits < 6 || digits > 9) return std::nullopt;
  auto counter = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() /
      step.count());
  std::string message(8, '\0');
  for (int i = 7; i >= 0; --i, counter >>= 8) message[i] = static_cast<char>(counter & 0xff);
  auto mac = hmac(hash_algorithm::sha1, *key, message);
  auto byte = [&](std::size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(mac[i]));
  };
  auto offset = byte(mac.size() - 1) & 0x0f;
  uint32_t binary = ((byte(offset) & 0x7f) << 24) | (byte(offset + 1) << 16) |
                    (byte(offset + 2) << 8) | byte(offset + 3);
  uint32_t modulo = 1;
  for (unsigned i = 0; i < digits; ++i) modulo *= 10;
  auto code = std::to_string(binary % modulo);
  return std::string(digits - code.size(), '0') + code;
}

}  // namespace vpnbot::crypto
