#pragma once

// An HTTP call described as data, before any I/O: the pure protocol code
// builds these and the actor that owns the connection sends them. The URL
// and headers may carry secrets (tokens, Basic credentials): they are never
// logged or put into error texts.

#include <string>

#include "messages/http.hpp"

namespace vpnbot {

struct outbound_request {
  std::string method = "GET";
  std::string url;
  http_headers headers;
  std::string body;

  const std::string* header(const std::string& name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return &v;
    return nullptr;
  }
};

}  // namespace vpnbot
