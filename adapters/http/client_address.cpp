#include "adapters/http/client_address.hpp"

#include <string_view>
#include <vector>

namespace vpnbot::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Every X-Forwarded-For entry, the occurrences of the header joined in order.
std::vector<std::string_view> forwarded_for(const http_headers& headers) {
  std::vector<std::string_view> out;
  for (const auto& [name, value] : headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    for (auto comma = rest.find(',');; comma = rest.find(',')) {
      out.push_back(trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::string client_address(const std::string& peer, const http_headers& headers,
                           const address_ranges& trusted_proxies) {
  if (trusted_proxies.empty() || !trusted_proxies.contains(peer)) return peer;
  auto chain = forwarded_for(headers);
  if (!chain.empty()) {
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (!is_ip_address(*it)) return peer;
      if (!trusted_proxies.contains(*it)) return std::string(*it);
    }
    return std::string(chain.front());  // proxies all the way: the first one sent it
  }
  for (const auto& [name, value] : headers)
    if (name == "x-real-ip" && is_ip_address(trim(value))) return std::string(trim(value));
  return peer;
}

}  // namespace vpnbot::http
