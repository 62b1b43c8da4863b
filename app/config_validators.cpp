#include "app/config_validators.hpp"

#include "adapters/crypto/digest.hpp"
#include "adapters/crypto/totp.hpp"
#include "adapters/panel/xui_protocol.hpp"

namespace vpnbot::app {

std::vector<config::validator> config_validators() {
  return {
      {"robokassa.algorithm", [](const std::string& v) { return crypto::check_hash_algorithm(v); }},
      {"panels[].base_url", [](const std::string& v) { return panel::check_endpoint(v); }},
      {"panels[].totp_secret", [](const std::string& v) { return crypto::check_totp_secret(v); }},
      {"panels[].version", [](const std::string& v) { return panel::check_xui_version(v); }},
  };
}

}  // namespace vpnbot::app
