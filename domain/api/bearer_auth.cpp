#include "domain/api/bearer_auth.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "adapters/crypto/digest.hpp"

namespace vpnbot::api {

bool bearer_matches(const http_request& req, const std::string& token) {
  if (token.empty()) return false;
  const auto* value = req.header("authorization");
  constexpr std::string_view scheme = "bearer ";
  if (!value || value->size() <= scheme.size()) return false;
  bool scheme_ok = std::equal(scheme.begin(), scheme.end(), value->begin(), [](char a, char b) {
    return a == std::tolower(static_cast<unsigned char>(b));
  });
  auto given = crypto::digest(crypto::hash_algorithm::sha256, value->substr(scheme.size()));
  auto wanted = crypto::digest(crypto::hash_algorithm::sha256, token);
  return crypto::constant_time_equal(given, wanted) && scheme_ok;
}

}  // namespace vpnbot::api
