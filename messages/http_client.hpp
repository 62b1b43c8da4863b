#pragma once

// Outgoing HTTP calls as data: what an actor asks the HTTP client to do and
// what comes back. The same structs serve the callback API of
// http::client and the request/response flow of the http_client actor.

#include <caf/meta/type_name.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/http.hpp"

namespace vpnbot {

struct http_client_request {
  std::string method = "GET";
  // http:// or https://, host name or IP literal ([::1] for IPv6). The URL
  // may carry secrets (bot tokens in paths, keys in queries): it is never
  // logged, errors name only host and port.
  std::string url;
  http_headers headers;
  std::string body;
  // Metrics label naming the remote side ("telegram", "panel", ...).
  std::string target = "other";
  // Zero: the client's configured default.
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds read_timeout{0};
  std::chrono::milliseconds total_timeout{0};
  // Accept any certificate (self-signed panels). Only ever turns checks off.
  bool skip_tls_verify = false;
  uint64_t body_limit = 8 << 20;  // largest accepted response body, bytes
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_client_request& x) {
  return f(caf::meta::type_name("http_client_request"), x.method, x.url, x.headers, x.body,
           x.target, x.connect_timeout, x.read_timeout, x.total_timeout, x.skip_tls_verify,
           x.body_limit);
}

struct http_client_response {
  int status = 0;
  http_headers headers;  // names lower-cased, in arrival order, repeats kept
  std::string body;

  const std::string* header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return &v;
    return nullptr;
  }

  // Every value of a repeated header, e.g. all Set-Cookie lines.
  std::vector<std::string> header_values(const std::string& lower_name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
      if (k == lower_name) out.push_back(v);
    return out;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_client_response& x) {
  return f(caf::meta::type_name("http_client_response"), x.status, x.headers, x.body);
}

}  // namespace vpnbot
