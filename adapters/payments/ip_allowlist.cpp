#include "adapters/payments/ip_allowlist.hpp"

#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments {

caf::expected<ip_allowlist> ip_allowlist::parse(const std::vector<std::string>& ranges) {
  std::string bad;
  auto parsed = http::address_ranges::parse(ranges, &bad);
  if (!parsed)
    return caf::make_error(payment_errc::invalid_argument,
                           "not an IP address or CIDR range: " + bad);
  ip_allowlist list;
  list.ranges_ = std::move(*parsed);
  return list;
}

}  // namespace vpnbot::payments
