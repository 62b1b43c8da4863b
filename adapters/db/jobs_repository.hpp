#pragma once

// The jobs table is the outbox that drives side effects (panel calls,
// notifications): enqueued in the same transaction as the change that needs
// them, leased by workers with FOR UPDATE SKIP LOCKED so no two workers (or
// nodes) ever hold the same job, retried with backoff, dead after a limit.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

struct job_row {
  int64_t id = 0;
  std::string kind;
  int64_t subject_id = 0;
  nlohmann::json payload;
  int attempts = 0;  // including the one this lease starts
  std::string idempotency_key;
};

// True when inserted; false when a job with this key exists already (the
// enqueue is a replay and must change nothing).
bool enqueue_job(pqxx::dbtransaction& tx, const std::string& kind, int64_t subject_id,
                 const nlohmann::json& payload, const std::string& idempotency_key);

// Leases up to `limit` due jobs (queued and due, or running with an expired
// lease) for `owner` until now + lease_for. A job waits while an older job
// of the same subject is unfinished (queued or running), so one subject's
// panel work runs one job at a time, in the order it was decided.
std::vector<job_row> lease_jobs(pqxx::dbtransaction& tx, const std::string& owner, int limit,
                                std::chrono::seconds lease_for);

// Marks the job done if `owner` still holds its lease; false otherwise.
bool complete_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner);

// Marks the job done without its work, keeping `note` (why), if `owner`
// still holds its lease; false otherwise.
bool skip_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner,
              const std::string& note);

enum class job_fate { retry_scheduled, dead, lease_lost };

// Records a failed attempt: back to queued after `retry_in`, or dead once
// attempts reached max_attempts.
job_fate fail_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner,
                  const std::string& error, std::chrono::milliseconds retry_in, int max_attempts);

// Puts a leased job back without counting the attempt: the call was never
// made (its peer's circuit is open), so a long outage cannot make it dead.
bool defer_job(pqxx::dbtransaction& tx, int64_t id, const std::string& owner,
               const std::string& reason, std::chrono::milliseconds retry_in);

}  // namespace vpnbot::db
