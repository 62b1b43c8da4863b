#include "adapters/db/jobs_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

bool enqueue_job(pqxx::dbtransaction& tx, const std::string& kind, int64_t subject_id,
                 const nlohmann::json& payload, const std::string& idempotency_key) {
  auto r = db::exec_prepared_sql(
      tx,
      "INSERT INTO jobs (kind, subject_id, payload, idempotency_key) VALUES ($1, $2, $3::jsonb, "
      "$4) "
      "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
      kind, subject_id, payload.dump(), idempotency_key);
  return !r.empty();
}

std::vector<job_row> lease_jobs(pqxx::dbtransaction& tx, const std::string& owner, int limit,
                                std::chrono::seconds lease_for) {
  auto rows = db::exec_prepared_sql(
      tx,
      "WITH due AS ("
      "  SELECT id FROM jobs c"
      "  WHERE ((state = 'queued' AND next_run_at <= now())"
      "     OR (state = 'running' AND lease_expires_at < now()))"
      // A subject's jobs one at a time, oldest first: a renewal's extend
      // cannot overtake (or race) a disable or removal still under way.
      "    AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.subject_id = c.subject_id"
      "      AND e.id < c.id AND e.state IN ('queued', 'running'))"
      "  ORDER BY next_run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)"
      "UPDATE jobs j SET state = 'running', lease_owner = $1,"
      "  lease_expires_at = now() + make_interval(secs => $3), attempts = j.attempts + 1,"
      "  updated_at = now() "
      "FROM due WHERE j.id = due.id "
      "RETURNING j.id, j.kind, j.subject_id, j.payload::text, j.attempts, j.idempotency_key",
      owner, limit, static_cast<double>(lease_for.count()));
  std::vector<job_row> out;
  for (const auto& row : rows)
    out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<int64_t>(),
                   nlohmann::json::parse(row[3].as<std::string>()), row[4].as<int>(),
                   row[5].as<std::string>()});
  return out;
}

bool complete_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner) {
  auto r = db::exec_prepared_sql(
      tx,
      "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL,"
      " last_error = NULL, updated_at = now() "
      "WHERE id = $1 AND state = 'running' AND lease_owner = $2",
      id, owner);
  return r.affected_rows() == 1;
}

bool skip_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner,
              const std::string& note) {
  auto r = db::exec_prepared_sql(
      tx,
      "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL,"
      " last_error = NULL, note = $3, updated_at = now() "
      "WHERE id = $1 AND state = 'running' AND lease_owner = $2",
      id, owner, note);
  return r.affected_rows() == 1;
}

job_fate fail_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner,
                  const std::string& error, std::chrono::milliseconds retry_in, int max_attempts) {
  auto r = db::exec_prepared_sql(
      tx,
      "UPDATE jobs SET state = CASE WHEN attempts >= $5 THEN 'dead' ELSE 'queued' END,"
      " lease_owner = NULL, lease_expires_at = NULL, last_error = $3,"
      " next_run_at = now() + make_interval(secs => $4), updated_at = now() "
      "WHERE id = $1 AND state = 'running' AND lease_owner = $2 RETURNING state",
      id, owner, error, static_cast<double>(retry_in.count()) / 1000, max_attempts);
  if (r.empty()) return job_fate::lease_lost;
  return r[0][0].as<std::string>() == "dead" ? job_fate::dead : job_fate::retry_scheduled;
}

bool defer_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner,
               const std::string& reason, std::chrono::milliseconds retry_in) {
  auto r = db::exec_prepared_sql(
      tx,
      "UPDATE jobs SET state = 'queued', attempts = GREATEST(attempts - 1, 0),"
      " lease_owner = NULL, lease_expires_at = NULL, last_error = $3,"
      " next_run_at = now() + make_interval(secs => $4), updated_at = now() "
      "WHERE id = $1 AND state = 'running' AND lease_owner = $2",
      id, owner, reason, static_cast<double>(retry_in.count()) / 1000);
  return r.affected_rows() == 1;
}

}  // namespace vpnbot::db
