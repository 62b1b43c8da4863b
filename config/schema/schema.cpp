#include "config/schema/schema.hpp"

namespace vpnbot::config {

const std::vector<key_spec>& schema() {
  static const std::vector<key_spec> keys = [] {
    std::vector<key_spec> k;
    add_service_keys(k);
    add_log_keys(k);
    add_http_keys(k);
    add_supervision_keys(k);
    add_database_keys(k);
    add_telegram_keys(k);
    add_bot_keys(k);
    add_workers_keys(k);
    add_panel_defaults_keys(k);
    add_payments_keys(k);
    add_api_keys(k);
    add_cluster_keys(k);
    return k;
  }();
  return keys;
}

const key_spec* find_key(const std::string& section, const std::string& key) {
  for (const auto& k : schema())
    if (k.section == section && k.key == key) return &k;
  return nullptr;
}

}  // namespace vpnbot::config
