#pragma once

// A bigint[] literal for a `$1::bigint[]` parameter (libpqxx 6 does not
// send arrays): ids are numbers, so no quoting is needed.

#include <cstdint>
#include <string>
#include <vector>

namespace vpnbot::db {

inline std::string id_array(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

}  // namespace vpnbot::db
