#include "config/secret_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace vpnbot::config {

bool is_secret_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 7> marks{
      "token", "password", "secret", "key", "signature", "authorization", "cookie"};
  return std::any_of(marks.begin(), marks.end(),
                     [&](std::string_view m) { return lower.find(m) != std::string::npos; });
}

}  // namespace vpnbot::config
