#include "adapters/crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace vpnbot::crypto {
namespace {

const EVP_MD* md(hash_algorithm algorithm) {
  switch (algorithm) {
    case hash_algorithm::md5:
      return EVP_md5();
    case hash_algorithm::sha1:
      return EVP_sha1();
    case hash_algorithm::sha256:
      return EVP_sha256();
    case hash_algorithm::sha384:
      return EVP_sha384();
    case hash_algorithm::sha512:
      return EVP_sha512();
  }
  throw std::logic_error("unknown hash algorithm");
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(hash_algorithm algorithm) {
  switch (algorithm) {
    case hash_algorithm::md5:
      return "md5";
    case hash_algorithm::sha1:
      return "sha1";
    case hash_algorithm::sha256:
      return "sha256";
    case hash_algorithm::sha384:
      return "sha384";
    case hash_algorithm::sha512:
      return "sha512";
  }
  return "unknown";
}

std::optional<hash_algorithm> parse_hash_algorithm(std::string_view name) {
  for (auto a : {hash_algorithm::md5, hash_algorithm::sha1, hash_algorithm::sha256,
                 hash_algorithm::sha384, hash_algorithm::sha512})
    if (iequals(name, to_string(a))) return a;
  return std::nullopt;
}

std::optional<std::string> check_hash_algorithm(std::string_view name) {
  if (parse_hash_algorithm(name)) return std::nullopt;
  return "expected md5, sha1, sha256, sha384 or sha512";
}

std::string digest(hash_algorithm algorithm, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, md(algorithm), nullptr) != 1)
    throw std::runtime_error("EVP_Digest failed");
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string hmac(hash_algorithm algorithm, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(md(algorithm), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size))
    throw std::runtime_error("HMAC failed");
  return std::string(reinterpret_cast<const char*>(out), size);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vpnbot::crypto
