#include "config/schema/key_spec.hpp"

#include <algorithm>
#include <cctype>

namespace vpnbot::config {

std::string env_name(const key_spec& k) {
  std::string out = "VPNBOT_" + k.section + "_" + k.key;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace vpnbot::config
