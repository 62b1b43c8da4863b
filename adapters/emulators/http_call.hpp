#pragma once

// A blocking loopback HTTP/1.1 call: tests talk to the service with it, and
// the sandbox delivers its emulators' notifications to the service's webhooks.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace vpnbot::emulators {

struct http_result {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
};

http_result http_call(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body = {},
                      const std::map<std::string, std::string>& headers = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace vpnbot::emulators
