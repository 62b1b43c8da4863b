#pragma once

// Durable hand-off of Telegram updates: an update is stored before the
// poller's offset moves past it, and the offset only moves forward, so a
// crash neither loses an update nor handles one twice.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

// True when new; false for an update_id seen before.
bool store_update(pqxx::dbtransaction& tx, int64_t update_id, std::optional<int64_t> user_id,
                  const std::string& raw_json);
void mark_update_handled(pqxx::dbtransaction& tx, int64_t update_id);
// Not handled, for a reason (flood, malformed, poison...); never picked again.
void mark_update_skipped(pqxx::dbtransaction& tx, int64_t update_id, const std::string& note);

struct pending_update {
  int64_t update_id = 0;
  std::string raw_json;
  // Updates of the same user received within the flood window before this one.
  int64_t earlier_in_window = 0;
  // Whether one of those was answered with the flood warning already.
  bool warned_in_window = false;
  // Another update of this user waits after this one.
  bool more_pending = false;
};

// The oldest unhandled update of a user (the sender's Telegram id), row
// locked: updates of one user are handled strictly in update_id order.
std::optional<pending_update> next_pending_update(pqxx::dbtransaction& tx, int64_t user_id,
                                                  std::chrono::milliseconds flood_window);
// Users with unhandled updates, for recovery after a restart.
std::vector<int64_t> users_with_pending_updates(pqxx::dbtransaction& tx);

// Never moves backwards.
void advance_offset(pqxx::dbtransaction& tx, int64_t bot_id, int64_t last_update_id);
std::optional<int64_t> offset_of(pqxx::dbtransaction& tx, int64_t bot_id);

}  // namespace vpnbot::db
