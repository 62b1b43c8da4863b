#pragma once

// A blocking loopback HTTP/1.1 call for tests (never used by the service).

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace vpnbot::testing_support {

struct http_result {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
};

http_result http_call(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body = {},
                      const std::map<std::string, std::string>& headers = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace vpnbot::testing_support
