#include "app/config_digest.hpp"

#include "adapters/codec/hex.hpp"
#include "adapters/crypto/digest.hpp"
#include "config/loader.hpp"

namespace vpnbot::app {

std::string config_digest(const config::settings& settings) {
  auto sha = crypto::digest(crypto::hash_algorithm::sha256, config::describe(settings));
  return codec::hex_encode(sha).substr(0, 16);
}

}  // namespace vpnbot::app
