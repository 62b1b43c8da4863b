#pragma once

// The conversation state of one user, saved with optimistic versioning: a
// save based on a stale version is refused, so two incarnations of a session
// actor can never overwrite each other.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

struct session_row {
  std::string fsm_state;
  std::string data_json;
  int64_t version = 0;
};

std::optional<session_row> load_session(pqxx::dbtransaction& tx, int64_t user_id);

// Saves when the stored version equals expected_version (0: no row yet);
// returns the new version, or nullopt when someone saved in between.
std::optional<int64_t> save_session(pqxx::dbtransaction& tx, int64_t user_id,
                                    const std::string& fsm_state, const std::string& data_json,
                                    int64_t expected_version);

}  // namespace vpnbot::db
