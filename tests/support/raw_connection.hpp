#pragma once

// A bare loopback TCP connection for tests that send what no HTTP client
// would (garbage, half a header, two requests on one socket) and look at
// exactly what comes back. Every wait is bounded by its timeout.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "adapters/emulators/http_call.hpp"

namespace vpnbot::testing_support {

class raw_connection {
 public:
  // Connects to 127.0.0.1:port; throws when nobody listens.
  explicit raw_connection(uint16_t port);
  ~raw_connection();

  void send(std::string_view bytes);

  // One response, or nullopt when the connection closed or nothing complete
  // arrived within the timeout. An answer to HEAD has no body to read.
  std::optional<emulators::http_result> read_response(
      std::chrono::milliseconds timeout = std::chrono::seconds(5), bool answers_head = false);

  // True when the peer closes the connection within the timeout; whatever
  // arrives before is discarded.
  bool closed_within(std::chrono::milliseconds timeout);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vpnbot::testing_support
