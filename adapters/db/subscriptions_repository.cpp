#include "adapters/db/subscriptions_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* subscription_columns =
    "id, user_id, plan_id, kind, status,"
    " to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), auto_renew,"
    " panel_id, client_uuid::text, client_email, sub_id";

subscription_row to_subscription(const pqxx::row& r) {
  subscription_row s;
  s.id = r[0].as<int64_t>();
  s.user_id = r[1].as<int64_t>();
  s.plan_id = r[2].as<int64_t>();
  s.kind = r[3].as<std::string>();
  s.status = r[4].as<std::string>();
  s.expires_at = r[5].as<std::string>();
  s.auto_renew = r[6].as<bool>();
  if (!r[7].is_null()) s.panel_id = r[7].as<int64_t>();
  s.client_uuid = r[8].as<std::string>();
  s.client_email = r[9].as<std::string>();
  s.sub_id = r[10].as<std::string>();
  return s;
}

}  // namespace

std::pair<trial_outcome, std::optional<subscription_row>> create_subscription(
    pqxx::dbtransaction& tx, const new_subscription& s) {
  // Only the one-trial index is an expected conflict; a clash of uuid, email
  // or sub id is a bug and raises.
  auto r = db::exec_prepared_sql(
      tx,
      std::string("INSERT INTO subscriptions (user_id, plan_id, kind, expires_at, panel_id,"
                  " client_uuid, client_email, sub_id) VALUES ($1, $2, $3,"
                  " now() + make_interval(days => $4), $5, $6::uuid, $7, $8)"
                  " ON CONFLICT (user_id) WHERE kind = 'trial' DO NOTHING RETURNING ") +
          subscription_columns,
      s.user_id, s.plan_id, s.kind, s.duration_days, s.panel_id, s.client_uuid, s.client_email,
      s.sub_id);
  if (r.empty()) return {trial_outcome::already_taken, std::nullopt};
  return {trial_outcome::created, to_subscription(r[0])};
}

std::optional<subscription_row> find_subscription(pqxx::dbtransaction& tx, int64_t id) {
  auto r = db::exec_prepared_sql(
      tx, std::string("SELECT ") + subscription_columns + " FROM subscriptions WHERE id = $1", id);
  if (r.empty()) return std::nullopt;
  return to_subscription(r[0]);
}

std::vector<subscription_row> subscriptions_of_user(pqxx::dbtransaction& tx, int64_t user_id) {
  std::vector<subscription_row> out;
  for (const auto& row :
       db::exec_prepared_sql(tx,
                             std::string("SELECT ") + subscription_columns +
                                 " FROM subscriptions WHERE user_id = $1 ORDER BY id",
                             user_id))
    out.push_back(to_subscription(row));
  return out;
}

std::optional<subscription_row> lock_subscription(pqxx::dbtransaction& tx, int64_t id) {
  auto r = db::exec_prepared_sql(tx,
                                 std::string("SELECT ") + subscription_columns +
                                     " FROM subscriptions WHERE id = $1 FOR UPDATE",
                                 id);
  if (r.empty()) return std::nullopt;
  return to_subscription(r[0]);
}

shortened_expiry shorten_subscription(pqxx::dbtransaction& tx, int64_t id, int64_t seconds) {
  // A subscription ends after it starts (a table CHECK): a refund of all of
  // it ends it right after its start.
  auto r = db::exec_prepared_sql1(
      tx,
      "WITH old AS (SELECT expires_at - make_interval(secs => $2) AS wanted FROM subscriptions"
      " WHERE id = $1)"
      " UPDATE subscriptions s SET expires_at = GREATEST(old.wanted, s.starts_at + interval '1"
      " microsecond'), updated_at = now() FROM old WHERE s.id = $1 RETURNING"
      " to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
      " old.wanted <= now(), extract(epoch from s.expires_at)::bigint",
      id, static_cast<double>(seconds));
  return {r[0].as<std::string>(), r[1].as<bool>(), r[2].as<int64_t>()};
}

bool trial_taken(pqxx::dbtransaction& tx, int64_t user_id) {
  return !db::exec_prepared_sql(
              tx, "SELECT 1 FROM subscriptions WHERE user_id = $1 AND kind = 'trial'", user_id)
              .empty();
}

void extend_subscription(pqxx::dbtransaction& tx, int64_t id, const std::string& expires_at_iso) {
  db::exec_prepared_sql(tx,
                        "UPDATE subscriptions SET expires_at = $2::timestamptz, status = 'active',"
                        " updated_at = now() WHERE id = $1",
                        id, expires_at_iso);
}

void set_subscription_status(pqxx::dbtransaction& tx, int64_t id, const std::string& status) {
  db::exec_prepared_sql(
      tx, "UPDATE subscriptions SET status = $2, updated_at = now() WHERE id = $1", id, status);
}

void set_auto_renew(pqxx::dbtransaction& tx, int64_t id, bool on) {
  db::exec_prepared_sql(
      tx, "UPDATE subscriptions SET auto_renew = $2, updated_at = now() WHERE id = $1", id, on);
}

void assign_client_email(pqxx::dbtransaction& tx, int64_t id, const std::string& email) {
  db::exec_prepared_sql(
      tx, "UPDATE subscriptions SET client_email = $2, updated_at = now() WHERE id = $1", id,
      email);
}

void set_client_secrets(pqxx::dbtransaction& tx, int64_t id, const std::string& client_uuid,
                        const std::string& sub_id) {
  db::exec_prepared_sql(tx,
                        "UPDATE subscriptions SET client_uuid = $2::uuid, sub_id = $3,"
                        " updated_at = now() WHERE id = $1",
                        id, client_uuid, sub_id);
}

std::string extended_expiry(pqxx::dbtransaction& tx, int64_t id, int days) {
  return db::exec_prepared_sql(
             tx,
             "SELECT to_char((GREATEST(now(), expires_at) + make_interval(days => $2))"
             " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM subscriptions"
             " WHERE id = $1 FOR UPDATE",
             id, days)[0][0]
      .as<std::string>();
}

std::optional<subscription_row> latest_paid_subscription(pqxx::dbtransaction& tx, int64_t user_id) {
  auto r = db::exec_prepared_sql(tx,
                                 std::string("SELECT ") + subscription_columns +
                                     " FROM subscriptions WHERE user_id = $1 AND kind = 'paid'"
                                     " ORDER BY expires_at DESC, id DESC LIMIT 1",
                                 user_id);
  if (r.empty()) return std::nullopt;
  return to_subscription(r[0]);
}

void assign_panel(pqxx::dbtransaction& tx, int64_t id, int64_t panel_id) {
  db::exec_prepared_sql(
      tx, "UPDATE subscriptions SET panel_id = $2, updated_at = now() WHERE id = $1", id, panel_id);
}

void set_access_link(pqxx::dbtransaction& tx, int64_t id, const std::string& link) {
  db::exec_prepared_sql(
      tx, "UPDATE subscriptions SET access_link = $2, updated_at = now() WHERE id = $1", id, link);
}

std::optional<std::string> access_link(pqxx::dbtransaction& tx, int64_t id) {
  auto r = db::exec_prepared_sql(tx, "SELECT access_link FROM subscriptions WHERE id = $1", id);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::string>();
}

bool activated(pqxx::dbtransaction& tx, int64_t id) {
  return !db::exec_prepared_sql(
              tx,
              "SELECT 1 FROM jobs WHERE kind = 'create_client' AND subject_id = $1"
              " AND state = 'done'",
              id)
              .empty();
}

}  // namespace vpnbot::db
