#include "app/config_validators.hpp"

#include "adapters/crypto/digest.hpp"
#include "adapters/crypto/totp.hpp"
#include "adapters/http/address_ranges.hpp"
#include "adapters/panel/panel_api.hpp"
#include "adapters/panel/xui_protocol.hpp"
#include "config/schema/value_text.hpp"

namespace vpnbot::app {

std::vector<config::validator> config_validators() {
  return {
      {"http.trusted_proxies",
       [](const std::string& v) -> std::optional<std::string> {
         std::string bad;
         if (http::address_ranges::parse(config::comma_list(v), &bad)) return std::nullopt;
         return "expected CIDR ranges such as \"127.0.0.1/32,10.0.0.0/8,::1\"; not one: " + bad;
       }},
      {"robokassa.algorithm", [](const std::string& v) { return crypto::check_hash_algorithm(v); }},
      {"panels[].base_url", [](const std::string& v) { return panel::check_endpoint(v); }},
      {"panels[].totp_secret", [](const std::string& v) { return crypto::check_totp_secret(v); }},
      {"panels[].version", [](const std::string& v) { return panel::check_panel_version(v); }},
      {"panels[].squads", [](const std::string& v) { return panel::check_squads(v); }},
  };
}

}  // namespace vpnbot::app
