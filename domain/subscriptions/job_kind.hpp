#pragma once

// The panel work a subscription can need, as queued in the jobs table. The
// table stores the name; everything above the database speaks the enum.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

namespace vpnbot::subscriptions {

enum class job_kind {
  create_client,   // a new client with the stored identity ("exists" is success)
  extend_client,   // the client's expiry moved on (a renewal)
  enable_client,   // back on after a renewal of an expired subscription
  disable_client,  // expired: off, but kept so a renewal re-enables the same key
  remove_client,   // past retention (or reconcile's orphan): gone from the panel
};

std::string_view name(job_kind k);
std::optional<job_kind> parse_job_kind(std::string_view s);

// Where a transaction that queued jobs says so at its commit (PostgreSQL
// NOTIFY): the activation worker's listener wakes it at once, on any node.
inline constexpr const char* jobs_channel = "vpnbot_jobs";

// Queues `kind` for the subscription in the caller's transaction; the
// payload names the subscription plus whatever `extra` adds, and the commit
// notifies jobs_channel. False when a job with this key exists already (a
// replay).
bool enqueue_job(pqxx::dbtransaction& tx, job_kind kind, int64_t subscription_id,
                 const std::string& idempotency_key,
                 nlohmann::json extra = nlohmann::json::object());

}  // namespace vpnbot::subscriptions
