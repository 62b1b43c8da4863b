#include "adapters/http/address_ranges.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace vpnbot::http {
namespace {

struct address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

constexpr std::array<uint8_t, 12> v4_mapped_prefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool parse_address(std::string_view text, address& out) {
  if (text.empty() || text.size() > 45) return false;
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) != 1) return false;
  out.v6 = true;
  if (std::equal(v4_mapped_prefix.begin(), v4_mapped_prefix.end(), out.bytes.begin())) {
    std::copy(out.bytes.begin() + 12, out.bytes.end(), out.bytes.begin());
    std::fill(out.bytes.begin() + 4, out.bytes.end(), 0);
    out.v6 = false;
  }
  return true;
}

bool prefix_matches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                    unsigned prefix) {
  unsigned full = prefix / 8;
  for (unsigned i = 0; i < full; ++i)
    if (a[i] != b[i]) return false;
  unsigned rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

std::optional<address_ranges> address_ranges::parse(const std::vector<std::string>& ranges,
                                                    std::string* first_bad) {
  address_ranges set;
  for (const auto& entry : ranges) {
    std::string_view text = entry;
    auto slash = text.find('/');
    auto invalid = [&]() -> std::optional<address_ranges> {
      if (first_bad) *first_bad = entry;
      return std::nullopt;
    };
    address a;
    if (!parse_address(text.substr(0, slash), a)) return invalid();
    const unsigned bits = a.v6 ? 128 : 32;
    unsigned prefix = bits;
    if (slash != std::string_view::npos) {
      auto p = text.substr(slash + 1);
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
      if (p.empty() || ec != std::errc{} || end != p.data() + p.size() || prefix > bits)
        return invalid();
    }
    set.ranges_.push_back(range{a.v6, a.bytes, prefix});
  }
  return set;
}

bool address_ranges::contains(std::string_view text) const {
  address a;
  if (!parse_address(text, a)) return false;
  for (const auto& r : ranges_)
    if (r.v6 == a.v6 && prefix_matches(r.bytes, a.bytes, r.prefix)) return true;
  return false;
}

bool is_ip_address(std::string_view text) {
  address ignored;
  return parse_address(text, ignored);
}

}  // namespace vpnbot::http
