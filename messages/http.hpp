#pragma once

// HTTP exchanges as actor messages: the server hands a request to the actor
// that owns its route and writes whatever http_response comes back.

#include <caf/meta/type_name.hpp>
#include <string>
#include <utility>
#include <vector>

namespace vpnbot {

using http_headers = std::vector<std::pair<std::string, std::string>>;

struct http_request {
  std::string method;    // upper case, e.g. "POST"
  std::string path;      // without the query string
  std::string query;     // raw, without '?'
  http_headers headers;  // names lower-cased
  std::string body;
  std::string peer_address;  // the socket's other end, perhaps a reverse proxy
  // Who sent the request, the one address handlers judge: the peer, or
  // what a trusted proxy forwarded (adapters/http/client_address.hpp).
  std::string client_address;

  const std::string* header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return &v;
    return nullptr;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_request& x) {
  return f(caf::meta::type_name("http_request"), x.method, x.path, x.query, x.headers, x.body,
           x.peer_address, x.client_address);
}

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  http_headers headers;
  std::string body;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_response& x) {
  return f(caf::meta::type_name("http_response"), x.status, x.content_type, x.headers, x.body);
}

}  // namespace vpnbot
