#pragma once

// Outgoing notices with a dedupe key (e.g. "reminder:<sub>:<expiry>:3d"): a
// notice is claimed once, whatever restarts, renewals or nodes do.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

// The new notification's id, or nullopt when this dedupe key was claimed before.
std::optional<int64_t> claim_notification(pqxx::dbtransaction& tx, int64_t user_id,
                                          const std::string& kind, const std::string& dedupe_key,
                                          const std::string& payload_json);
void mark_notification_sent(pqxx::dbtransaction& tx, int64_t id);

}  // namespace vpnbot::db
