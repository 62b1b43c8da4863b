#include "adapters/db/sessions_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

std::optional<session_row> load_session(pqxx::dbtransaction& tx, int64_t user_id) {
  auto r = db::exec_prepared_sql(
      tx, "SELECT fsm_state, data::text, version FROM sessions WHERE user_id = $1", user_id);
  if (r.empty()) return std::nullopt;
  return session_row{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<int64_t>()};
}

std::optional<int64_t> save_session(pqxx::dbtransaction& tx, int64_t user_id,
                                    const std::string& fsm_state, const std::string& data_json,
                                    int64_t expected_version) {
  auto r =
      expected_version == 0
          ? db::exec_prepared_sql(tx,
                                  "INSERT INTO sessions (user_id, fsm_state, data, version)"
                                  " VALUES ($1, $2, $3::jsonb, 1) ON CONFLICT (user_id) DO NOTHING"
                                  " RETURNING version",
                                  user_id, fsm_state, data_json)
          : db::exec_prepared_sql(
                tx,
                "UPDATE sessions SET fsm_state = $2, data = $3::jsonb, version = version + 1,"
                " updated_at = now() WHERE user_id = $1 AND version = $4 RETURNING version",
                user_id, fsm_state, data_json, expected_version);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

}  // namespace vpnbot::db
