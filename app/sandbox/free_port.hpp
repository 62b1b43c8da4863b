#pragma once

// A TCP port free on `host` right now (bound to port 0 and released), for
// a listener whose port must be known before it starts: the sandbox's
// invoice links name the service's port.

#include <cstdint>
#include <string>

namespace vpnbot::sandbox {

// Throws boost::system::system_error when `host` cannot be bound.
uint16_t free_port(const std::string& host);

}  // namespace vpnbot::sandbox
