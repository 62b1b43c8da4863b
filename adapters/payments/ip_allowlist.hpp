#pragma once

// Source address checks for notifications that carry no signature
// (YooKassa): a set of IPv4 and IPv6 CIDR ranges. An IPv4-mapped IPv6
// address (::ffff:a.b.c.d, what a dual-stack socket reports) is matched as
// the IPv4 address it carries. Behind a reverse proxy the address seen is
// the proxy's; the check only makes sense on the address of the peer that
// connected to us.

#include <array>
#include <caf/expected.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vpnbot::payments {

class ip_allowlist {
 public:
  // "185.71.76.0/27", "77.75.156.11" (a single host), "2a02:5180::/32";
  // payment_errc::invalid_argument names the first entry that is not one.
  static caf::expected<ip_allowlist> parse(const std::vector<std::string>& ranges);

  bool allows(std::string_view address) const;

 private:
  struct range {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};  // the network, first 4 bytes for IPv4
    unsigned prefix = 0;
  };
  std::vector<range> ranges_;
};

}  // namespace vpnbot::payments
