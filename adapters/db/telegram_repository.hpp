#pragma once

// Durable hand-off of Telegram updates: an update is stored before the
// poller's offset moves past it, and the offset only moves forward, so a
// crash neither loses an update nor handles one twice.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

// True when new; false for an update_id seen before.
bool store_update(pqxx::dbtransaction& tx, int64_t update_id, std::optional<int64_t> user_id,
                  const std::string& raw_json);
void mark_update_handled(pqxx::dbtransaction& tx, int64_t update_id);

// Never moves backwards.
void advance_offset(pqxx::dbtransaction& tx, int64_t bot_id, int64_t last_update_id);
std::optional<int64_t> offset_of(pqxx::dbtransaction& tx, int64_t bot_id);

}  // namespace vpnbot::db
