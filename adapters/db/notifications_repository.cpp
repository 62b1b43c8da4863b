#include "adapters/db/notifications_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

std::optional<int64_t> claim_notification(pqxx::dbtransaction& tx, int64_t user_id,
                                          const std::string& kind, const std::string& dedupe_key,
                                          const std::string& payload_json) {
  auto r = db::exec_prepared_sql(
      tx,
      "INSERT INTO notifications (user_id, kind, dedupe_key, payload)"
      " VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
      user_id, kind, dedupe_key, payload_json);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

void mark_notification_sent(pqxx::dbtransaction& tx, int64_t id) {
  db::exec_prepared_sql(
      tx, "UPDATE notifications SET state = 'sent', sent_at = now() WHERE id = $1", id);
}

}  // namespace vpnbot::db
