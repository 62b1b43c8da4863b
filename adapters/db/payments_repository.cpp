#include "adapters/db/payments_repository.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* payment_columns =
    "id::text, user_id, purpose, plan_id, subscription_id, provider, provider_payment_id, amount,"
    " currency, status,"
    " to_char(granted_expiry AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

template <class T>
std::optional<T> optional_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

std::optional<payment_row> first(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  const auto& row = r[0];
  payment_row p;
  p.id = row[0].as<std::string>();
  p.user_id = row[1].as<int64_t>();
  p.purpose = row[2].as<std::string>();
  p.plan_id = optional_field<int64_t>(row[3]);
  p.subscription_id = optional_field<int64_t>(row[4]);
  p.provider = row[5].as<std::string>();
  p.provider_payment_id = optional_field<std::string>(row[6]);
  p.amount = row[7].as<int64_t>();
  p.currency = row[8].as<std::string>();
  p.status = row[9].as<std::string>();
  p.granted_expiry = optional_field<std::string>(row[10]);
  return p;
}

}  // namespace

std::string create_payment(pqxx::dbtransaction& tx, const new_payment& p) {
  return tx
      .exec_params1(
          "INSERT INTO payments (user_id, purpose, plan_id, subscription_id, provider, amount,"
          " currency, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
          " now() + make_interval(secs => $8)) RETURNING id::text",
          p.user_id, p.purpose, p.plan_id, p.subscription_id, p.provider, p.amount, p.currency,
          static_cast<double>(p.ttl_seconds))[0]
      .as<std::string>();
}

bool set_provider_payment_id(pqxx::dbtransaction& tx, const std::string& payment_id,
                             const std::string& provider_payment_id) {
  auto r = tx.exec_params(
      "UPDATE payments SET provider_payment_id = $2 WHERE id = $1::uuid"
      " AND (provider_payment_id IS NULL OR provider_payment_id = $2)",
      payment_id, provider_payment_id);
  return r.affected_rows() == 1;
}

std::optional<payment_row> find_payment_for_update(pqxx::dbtransaction& tx,
                                                   const std::string& payment_id) {
  return first(tx.exec_params(
      std::string("SELECT ") + payment_columns + " FROM payments WHERE id = $1::uuid FOR UPDATE",
      payment_id));
}

std::optional<payment_row> find_payment_by_provider_id(pqxx::dbtransaction& tx,
                                                       const std::string& provider,
                                                       const std::string& provider_payment_id) {
  return first(tx.exec_params(std::string("SELECT ") + payment_columns +
                                  " FROM payments WHERE provider = $1 AND provider_payment_id = $2",
                              provider, provider_payment_id));
}

bool mark_payment_succeeded(pqxx::dbtransaction& tx, const std::string& payment_id,
                            const std::optional<std::string>& granted_expiry_iso) {
  auto r = tx.exec_params(
      "UPDATE payments SET status = 'succeeded', finalized_at = now(),"
      " granted_expiry = $2::timestamptz WHERE id = $1::uuid AND status = 'pending'",
      payment_id, granted_expiry_iso);
  return r.affected_rows() == 1;
}

bool mark_payment_if_pending(pqxx::dbtransaction& tx, const std::string& payment_id,
                             const std::string& status) {
  auto r = tx.exec_params(
      "UPDATE payments SET status = $2, finalized_at = now()"
      " WHERE id = $1::uuid AND status = 'pending'",
      payment_id, status);
  return r.affected_rows() == 1;
}

std::vector<std::string> expire_pending_payments(pqxx::dbtransaction& tx) {
  std::vector<std::string> ids;
  for (const auto& row :
       tx.exec("UPDATE payments SET status = 'expired', finalized_at = now()"
               " WHERE status = 'pending' AND expires_at <= now() RETURNING id::text"))
    ids.push_back(row[0].as<std::string>());
  return ids;
}

std::vector<expired_payment> expire_pending_payments(pqxx::dbtransaction& tx,
                                                     const std::string& now_iso, int limit) {
  std::vector<expired_payment> out;
  for (const auto& row : tx.exec_params(
           "UPDATE payments SET status = 'expired', finalized_at = now() WHERE id IN ("
           " SELECT id FROM payments WHERE status = 'pending' AND expires_at <= $1::timestamptz"
           " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
           " AND status = 'pending' RETURNING id::text, user_id",
           now_iso, limit))
    out.push_back({row[0].as<std::string>(), row[1].as<int64_t>()});
  return out;
}

}  // namespace vpnbot::db
