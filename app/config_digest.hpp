#pragma once

// A short fingerprint of the effective configuration: the first 16 hex
// digits of the SHA-256 of what `vpnbot --check-config` prints (secrets
// masked, so a changed secret alone does not change it). --check-config
// prints it last, and GET /readyz reports the running process's one, so a
// deploy can prove the configuration it validated is the one running.

#include <string>

#include "config/settings.hpp"

namespace vpnbot::app {

std::string config_digest(const config::settings& settings);

}  // namespace vpnbot::app
