#pragma once

// The configuration checks only the adapters can make, each under the key
// whose value it judges; config::load reports their refusals like its own.

#include <vector>

#include "config/validator.hpp"

namespace vpnbot::app {

std::vector<config::validator> config_validators();

}  // namespace vpnbot::app
