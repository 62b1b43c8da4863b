#pragma once

// A nullable column read as std::optional (libpqxx 6.4's field::get needs
// a configuration the Debian build does not have).

#include <optional>
#include <pqxx/pqxx>

namespace vpnbot::db {

template <class T>
std::optional<T> optional_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

}  // namespace vpnbot::db
