#pragma once

// Who sent a request. The socket peer, unless the peer is one of the
// trusted reverse proxies (http.trusted_proxies): then the proxy's word is
// taken. X-Forwarded-For is read from the right (each proxy appends the
// address it saw), skipping addresses that are trusted proxies themselves;
// the first other one is the client. Entries further left were written by
// the client and prove nothing. Without X-Forwarded-For, X-Real-IP is
// taken. A header that names no usable address leaves the peer.

#include <string>

#include "adapters/http/address_ranges.hpp"
#include "messages/http.hpp"

namespace vpnbot::http {

// headers: lower-cased names, every occurrence in arrival order.
std::string client_address(const std::string& peer, const http_headers& headers,
                           const address_ranges& trusted_proxies);

}  // namespace vpnbot::http
