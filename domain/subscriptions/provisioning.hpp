#pragma once

// Turning a decision (a trial, a payment) into subscription time and the
// panel work that follows, inside the caller's transaction. The client's
// identity (UUID, email, subId) is generated and stored before any panel
// call, and the activation job carries an idempotency key, so a replay of
// the same decision finds the job already there.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"

namespace vpnbot::subscriptions {

// A new subscription of the plan (trial or paid) and its create_client job.
// nullopt for a second trial of the same user.
std::optional<db::subscription_row> provision(pqxx::dbtransaction& tx, int64_t user_id,
                                              const db::plan_row& plan, const std::string& kind,
                                              const std::string& job_key);

// Moves the expiry to an absolute time computed once by the caller and
// queues an extend_client job (which also re-enables a disabled client).
void extend(pqxx::dbtransaction& tx, const db::subscription_row& s, const std::string& expires_at,
            const std::string& job_key);

// Moves the expiry `seconds` earlier (the caller holds the row lock, e.g.
// db::lock_subscription). An active subscription whose new expiry has
// passed expires and its client is disabled through a job (under the
// expiry worker's key for that period, so it queues no second one); one
// still running gets the earlier expiry on the panel through an
// extend_client job keyed `job_key`.
db::shortened_expiry take_time(pqxx::dbtransaction& tx, const db::subscription_row& locked,
                               int64_t seconds, const std::string& job_key);

}  // namespace vpnbot::subscriptions
