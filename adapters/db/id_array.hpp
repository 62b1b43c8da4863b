#pragma once

// A bigint[] literal for a `$1::bigint[]` parameter (libpqxx 6 does not
// send arrays): ids are numbers, so no quoting is needed. And back: a
// bigint[] column as PostgreSQL writes it ("{1,2,3}", no NULLs).

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/codec/decimal.hpp"

namespace vpnbot::db {

inline std::string id_array(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

inline std::vector<int64_t> ids_of(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '{' || literal.back() != '}')
    throw std::runtime_error("not a bigint[] literal");
  std::vector<int64_t> ids;
  auto items = literal.substr(1, literal.size() - 2);
  while (!items.empty()) {
    auto comma = std::min(items.find(','), items.size());
    auto id = codec::decimal<int64_t>(items.substr(0, comma));
    if (!id) throw std::runtime_error("not a bigint[] literal");
    ids.push_back(*id);
    items.remove_prefix(std::min(comma + 1, items.size()));
  }
  return ids;
}

}  // namespace vpnbot::db
