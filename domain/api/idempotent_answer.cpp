#include "domain/api/idempotent_answer.hpp"

#include "adapters/db/prepared.hpp"
#include "domain/api/api_answer.hpp"

namespace vpnbot::api {

std::optional<http_response> answer_kept_for(pqxx::dbtransaction& tx, const std::string& key,
                                             const std::string& method, const std::string& path) {
  db::exec_prepared_sql(tx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 14))", key);
  auto r = db::exec_prepared_sql(
      tx, "SELECT method, path, status, body FROM api_idempotency WHERE key = $1", key);
  if (r.empty()) return std::nullopt;
  if (r[0][0].as<std::string>() != method || r[0][1].as<std::string>() != path)
    return error_answer(422, "idempotency_key_reused",
                        "this Idempotency-Key was used for " + r[0][0].as<std::string>() + " " +
                            r[0][1].as<std::string>(),
                        "Idempotency-Key");
  http_response kept{r[0][2].as<int>(), "application/json", {}, r[0][3].as<std::string>()};
  kept.headers.emplace_back("Idempotent-Replayed", "true");
  return kept;
}

void keep_answer(pqxx::dbtransaction& tx, const std::string& key, const std::string& method,
                 const std::string& path, const http_response& answer) {
  db::exec_prepared_sql(
      tx,
      "INSERT INTO api_idempotency (key, method, path, status, body) VALUES ($1, $2, $3, $4, $5)",
      key, method, path, answer.status, answer.body);
}

}  // namespace vpnbot::api
