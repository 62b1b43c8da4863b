#pragma once

// Source address checks for notifications that carry no signature
// (YooKassa): a set of IPv4 and IPv6 CIDR ranges (http/address_ranges.hpp).
// The address checked is the request's client_address: the socket peer, or
// behind a trusted reverse proxy the address the proxy forwarded
// (http/client_address.hpp).

#include <caf/expected.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/address_ranges.hpp"

namespace vpnbot::payments {

class ip_allowlist {
 public:
  // "185.71.76.0/27", "77.75.156.11" (a single host), "2a02:5180::/32";
  // payment_errc::invalid_argument names the first entry that is not one.
  static caf::expected<ip_allowlist> parse(const std::vector<std::string>& ranges);

  bool allows(std::string_view address) const { return ranges_.contains(address); }

 private:
  http::address_ranges ranges_;
};

}  // namespace vpnbot::payments
