#pragma once

// Loads a loopback HTTP server with back-to-back POSTs on keep-alive
// connections (one thread each), to find what an emulator can serve before
// it is put in front of the service.

#include <chrono>
#include <cstdint>
#include <string>

namespace vpnbot::bench {

struct hammer_result {
  double calls_per_second = 0;
  std::size_t calls = 0;
  std::size_t failures = 0;  // non-200 answers or broken connections
};

hammer_result hammer(uint16_t port, const std::string& target, const std::string& json_body,
                     int connections, std::chrono::milliseconds duration);

}  // namespace vpnbot::bench
