#include "app/sandbox/random_secret.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace vpnbot::sandbox {

std::string random_secret(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (auto b : raw) {
    out += digits[b >> 4];
    out += digits[b & 0x0f];
  }
  return out;
}

}  // namespace vpnbot::sandbox
