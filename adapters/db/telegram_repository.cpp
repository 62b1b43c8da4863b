#include "adapters/db/telegram_repository.hpp"

namespace vpnbot::db {

bool store_update(pqxx::dbtransaction& tx, int64_t update_id, std::optional<int64_t> user_id,
                  const std::string& raw_json) {
  return !tx.exec_params(
                "INSERT INTO telegram_updates (update_id, user_id, raw) VALUES ($1, $2, $3::jsonb)"
                " ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
                update_id, user_id, raw_json)
              .empty();
}

void mark_update_handled(pqxx::dbtransaction& tx, int64_t update_id) {
  tx.exec_params(
      "UPDATE telegram_updates SET state = 'handled', handled_at = now() WHERE update_id = $1",
      update_id);
}

void advance_offset(pqxx::dbtransaction& tx, int64_t bot_id, int64_t last_update_id) {
  tx.exec_params(
      "INSERT INTO telegram_offsets (bot_id, last_update_id) VALUES ($1, $2)"
      " ON CONFLICT (bot_id) DO UPDATE SET"
      " last_update_id = GREATEST(telegram_offsets.last_update_id, EXCLUDED.last_update_id),"
      " updated_at = now()",
      bot_id, last_update_id);
}

std::optional<int64_t> offset_of(pqxx::dbtransaction& tx, int64_t bot_id) {
  auto r = tx.exec_params("SELECT last_update_id FROM telegram_offsets WHERE bot_id = $1", bot_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

}  // namespace vpnbot::db
