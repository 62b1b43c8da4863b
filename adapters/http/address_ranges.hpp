#pragma once

// A set of IPv4 and IPv6 CIDR ranges and the test whether an address lies
// in one of them. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a
// dual-stack socket reports) is matched as the IPv4 address it carries.
// Used for the trusted reverse proxies (client_address.hpp) and for
// YooKassa's notification sources (payments/ip_allowlist.hpp).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnbot::http {

class address_ranges {
 public:
  // "185.71.76.0/27", "77.75.156.11" (a single host), "2a02:5180::/32";
  // nullopt when an entry is not one (first_bad, when given, names it).
  static std::optional<address_ranges> parse(const std::vector<std::string>& ranges,
                                             std::string* first_bad = nullptr);

  bool contains(std::string_view address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  struct range {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};  // the network, first 4 bytes for IPv4
    unsigned prefix = 0;
  };
  std::vector<range> ranges_;
};

// A literal IPv4 or IPv6 address (no port, no brackets).
bool is_ip_address(std::string_view text);

}  // namespace vpnbot::http
