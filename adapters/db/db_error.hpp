#pragma once

// Why a database call failed, as a CAF error category, so callers branch on
// a code and operators read the context sentence.

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <cstdint>
#include <string>

namespace vpnbot::db {

enum class db_errc : uint8_t {
  // 0 is "no error" in CAF.
  connection_lost = 1,       // the server went away mid-call; nothing was committed
  timeout = 2,               // the statement or the caller's deadline ran out
  overloaded = 3,            // the pool's queue is full; try later
  constraint_violation = 4,  // the database refused the data (unique, check, ...)
  query_failed = 5,          // any other SQL error
  migration_failed = 6,
  unavailable = 7,  // no connection could be opened
};

inline std::string to_string(db_errc e) {
  switch (e) {
    case db_errc::connection_lost:
      return "connection_lost";
    case db_errc::timeout:
      return "timeout";
    case db_errc::overloaded:
      return "overloaded";
    case db_errc::constraint_violation:
      return "constraint_violation";
    case db_errc::query_failed:
      return "query_failed";
    case db_errc::migration_failed:
      return "migration_failed";
    case db_errc::unavailable:
      return "unavailable";
  }
  return "unknown";
}

}  // namespace vpnbot::db

CAF_ERROR_CODE_ENUM(vpnbot::db::db_errc, "db")
