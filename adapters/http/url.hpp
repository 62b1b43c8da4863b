#pragma once

// Absolute http(s) URLs split into what a connection needs. Deliberately
// narrow: no user info (credentials belong in headers), no relative forms.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::http {

struct url {
  bool tls = false;          // https
  std::string host;          // without brackets for IPv6 literals
  uint16_t port = 0;         // explicit or the scheme's default
  std::string target = "/";  // path and query, never empty; the fragment is dropped
  bool host_is_ip = false;   // IPv4 or IPv6 literal: no SNI, certificate checked by IP

  // "host:port" for errors and logs: never the target, which may hold secrets.
  std::string authority() const;
  // Value of the Host header: the port only when it is not the default.
  std::string host_header() const;
};

// nullopt names nothing on purpose: the caller reports "invalid URL"
// without echoing a string that may carry a token.
std::optional<url> parse_url(std::string_view text);

// RFC 3986 percent-encoding: everything but the unreserved A-Z a-z 0-9 - . _ ~
// (for URI userinfo, path segments and query values).
std::string percent_encode(std::string_view text);

}  // namespace vpnbot::http
