#include "domain/subscriptions/provisioning.hpp"

#include <nlohmann/json.hpp>

#include "adapters/panel/client_identity.hpp"
#include "domain/subscriptions/job_kind.hpp"

namespace vpnbot::subscriptions {

std::optional<db::subscription_row> provision(pqxx::dbtransaction& tx, int64_t user_id,
                                              const db::plan_row& plan, const std::string& kind,
                                              const std::string& job_key) {
  db::new_subscription s;
  s.user_id = user_id;
  s.plan_id = plan.id;
  s.kind = kind;
  s.duration_days = plan.def.duration_days;
  s.client_uuid = panel::new_client_uuid();
  // The email names the subscription, whose id the insert assigns: a
  // placeholder unique to this insert is replaced right after.
  s.client_email = "pending-" + s.client_uuid;
  s.sub_id = panel::new_sub_id();
  auto [outcome, row] = db::create_subscription(tx, s);
  if (outcome == db::trial_outcome::already_taken || !row) return std::nullopt;
  row->client_email = panel::client_email({user_id, row->id});
  db::assign_client_email(tx, row->id, row->client_email);
  enqueue_job(tx, job_kind::create_client, row->id, job_key);
  return row;
}

void extend(pqxx::dbtransaction& tx, const db::subscription_row& s, const std::string& expires_at,
            const std::string& job_key) {
  db::extend_subscription(tx, s.id, expires_at);
  enqueue_job(tx, job_kind::extend_client, s.id, job_key, {{"expires_at", expires_at}});
}

db::shortened_expiry take_time(pqxx::dbtransaction& tx, const db::subscription_row& locked,
                               int64_t seconds, const std::string& job_key) {
  auto e = db::shorten_subscription(tx, locked.id, seconds);
  if (locked.status != "active") return e;
  if (e.passed) {
    db::set_subscription_status(tx, locked.id, "expired");
    enqueue_job(tx, job_kind::disable_client, locked.id,
                "disable_client:" + std::to_string(locked.id) + ":" + std::to_string(e.epoch));
  } else {
    enqueue_job(tx, job_kind::extend_client, locked.id, job_key, {{"expires_at", e.expires_at}});
  }
  return e;
}

}  // namespace vpnbot::subscriptions
