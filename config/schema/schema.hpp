#pragma once

// Every configuration key, declared once: each subsystem's file under
// config/schema/ adds the keys of its sections, schema.cpp puts them in the
// order --help and --check-config print them.

#include <string>
#include <vector>

#include "config/schema/key_spec.hpp"

namespace vpnbot::config {

const std::vector<key_spec>& schema();
const key_spec* find_key(const std::string& section, const std::string& key);

const std::vector<panel_key>& panel_schema();
const panel_key* find_panel_key(const std::string& key);

void add_service_keys(std::vector<key_spec>& keys);
void add_log_keys(std::vector<key_spec>& keys);
void add_http_keys(std::vector<key_spec>& keys);
void add_supervision_keys(std::vector<key_spec>& keys);
void add_database_keys(std::vector<key_spec>& keys);
void add_telegram_keys(std::vector<key_spec>& keys);
void add_bot_keys(std::vector<key_spec>& keys);
void add_workers_keys(std::vector<key_spec>& keys);
void add_panel_defaults_keys(std::vector<key_spec>& keys);
void add_payments_keys(std::vector<key_spec>& keys);
void add_api_keys(std::vector<key_spec>& keys);
void add_cluster_keys(std::vector<key_spec>& keys);

}  // namespace vpnbot::config
