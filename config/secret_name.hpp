#pragma once

// Which names carry credentials. One rule for the two places that hide them:
// --check-config masks such keys, the logger (adapters/log) such fields.

#include <string_view>

namespace vpnbot::config {

// True for names that carry credentials: token, password, secret, key, ...
bool is_secret_name(std::string_view name);

}  // namespace vpnbot::config
