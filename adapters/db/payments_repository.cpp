#include "adapters/db/payments_repository.hpp"

#include "adapters/db/optional_field.hpp"
#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* payment_columns =
    "id::text, user_id, purpose, plan_id, subscription_id, provider, provider_payment_id, amount,"
    " currency, status,"
    " to_char(granted_expiry AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " promo_redemption_id, list_amount";

payment_row to_payment(const pqxx::row& row) {
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
  p.promo_redemption_id = optional_field<int64_t>(row[11]);
  p.list_amount = optional_field<int64_t>(row[12]);
  return p;
}

std::optional<payment_row> first_payment(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return to_payment(r[0]);
}

}  // namespace

std::string create_payment(pqxx::dbtransaction& tx, const new_payment& p) {
  return db::exec_prepared_sql1(
             tx,
             "INSERT INTO payments (user_id, purpose, plan_id, subscription_id, provider, amount,"
             " currency, expires_at, promo_redemption_id, list_amount) VALUES ($1, $2, $3, $4, $5,"
             " $6, $7, now() + make_interval(secs => $8), $9, $10) RETURNING id::text",
             p.user_id, p.purpose, p.plan_id, p.subscription_id, p.provider, p.amount, p.currency,
             static_cast<double>(p.ttl_seconds), p.promo_redemption_id, p.list_amount)[0]
      .as<std::string>();
}

namespace {

constexpr const char* invoice_columns =
    "p.id::text, p.number, p.provider, p.amount, p.currency, u.telegram_id, u.language,"
    " coalesce(pl.code, ''), greatest(0, extract(epoch FROM p.expires_at - now()))::bigint";

invoice_work invoice_row(const pqxx::row& row) {
  return {row[0].as<std::string>(), row[1].as<int64_t>(),     row[2].as<std::string>(),
          row[3].as<int64_t>(),     row[4].as<std::string>(), row[5].as<int64_t>(),
          row[6].as<std::string>(), row[7].as<std::string>(), row[8].as<int64_t>()};
}

constexpr const char* invoice_from =
    " FROM payments p JOIN users u ON u.id = p.user_id LEFT JOIN plans pl ON pl.id = p.plan_id"
    " WHERE p.status = 'pending' AND p.invoiced_at IS NULL";

}  // namespace

std::vector<invoice_work> payments_to_invoice(pqxx::dbtransaction& tx,
                                              const std::vector<std::string>& providers,
                                              int limit) {
  std::string list;
  for (const auto& p : providers) list += (list.empty() ? "" : ",") + p;
  auto rows = db::exec_prepared_sql(tx,
                                    std::string("SELECT ") + invoice_columns + invoice_from +
                                        " AND p.provider = ANY(string_to_array($1, ','))"
                                        " ORDER BY p.created_at LIMIT $2",
                                    list, limit);
  std::vector<invoice_work> out;
  for (const auto& row : rows) out.push_back(invoice_row(row));
  return out;
}

std::optional<invoice_work> payment_to_invoice(pqxx::dbtransaction& tx,
                                               const std::string& payment_id) {
  auto rows = db::exec_prepared_sql(
      tx, std::string("SELECT ") + invoice_columns + invoice_from + " AND p.id = $1::uuid",
      payment_id);
  if (rows.empty()) return std::nullopt;
  return invoice_row(rows[0]);
}

bool record_invoice(pqxx::dbtransaction& tx, const std::string& payment_id,
                    const std::string& provider_payment_id, const std::string& pay_url) {
  auto r = db::exec_prepared_sql(
      tx,
      "UPDATE payments SET provider_payment_id = nullif($2, ''), pay_url = $3, invoiced_at = now()"
      " WHERE id = $1::uuid AND status = 'pending' AND invoiced_at IS NULL",
      payment_id, provider_payment_id, pay_url);
  return r.affected_rows() == 1;
}

bool record_refund(pqxx::dbtransaction& tx, const std::string& provider,
                   const std::string& refund_id, const std::string& payment_id, int64_t amount) {
  return db::exec_prepared_sql(
             tx,
             "INSERT INTO payment_refunds (provider, refund_id, payment_id, amount)"
             " VALUES ($1, $2, $3::uuid, $4) ON CONFLICT DO NOTHING",
             provider, refund_id, payment_id, amount)
             .affected_rows() == 1;
}

bool refund_recorded(pqxx::dbtransaction& tx, const std::string& provider,
                     const std::string& refund_id) {
  return !db::exec_prepared_sql(
              tx, "SELECT 1 FROM payment_refunds WHERE provider = $1 AND refund_id = $2", provider,
              refund_id)
              .empty();
}

int64_t refunded_total(pqxx::dbtransaction& tx, const std::string& payment_id) {
  return db::exec_prepared_sql1(
             tx, "SELECT coalesce(sum(amount), 0) FROM payment_refunds WHERE payment_id = $1::uuid",
             payment_id)[0]
      .as<int64_t>();
}

bool mark_payment_refunded_by_id(pqxx::dbtransaction& tx, const std::string& payment_id) {
  return db::exec_prepared_sql(
             tx,
             "UPDATE payments SET status = 'refunded' WHERE id = $1::uuid AND status = 'succeeded'",
             payment_id)
             .affected_rows() == 1;
}

std::optional<int64_t> subscription_paid_by(pqxx::dbtransaction& tx,
                                            const std::string& payment_id) {
  auto r =
      db::exec_prepared_sql(tx,
                            "SELECT subject_id FROM jobs WHERE idempotency_key = 'payment:' || $1"
                            " AND kind IN ('create_client', 'extend_client')",
                            payment_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

std::optional<payment_row> find_payment_by_number(pqxx::dbtransaction& tx, int64_t number) {
  return first_payment(db::exec_prepared_sql(
      tx, std::string("SELECT ") + payment_columns + " FROM payments WHERE number = $1", number));
}

std::vector<payment_row> invoiced_pending_payments(pqxx::dbtransaction& tx,
                                                   const std::string& provider,
                                                   std::chrono::seconds age, int limit) {
  auto rows = db::exec_prepared_sql(tx,
                                    std::string("SELECT ") + payment_columns +
                                        " FROM payments WHERE status = 'pending' AND provider = $1"
                                        " AND provider_payment_id IS NOT NULL"
                                        " AND invoiced_at <= now() - make_interval(secs => $2)"
                                        " ORDER BY invoiced_at LIMIT $3",
                                    provider, static_cast<double>(age.count()), limit);
  std::vector<payment_row> out;
  for (const auto& row : rows) out.push_back(to_payment(row));
  return out;
}

std::vector<payment_row> late_lookup_payments(pqxx::dbtransaction& tx, const std::string& provider,
                                              unsigned days, const std::string& after_id,
                                              int limit) {
  auto rows = db::exec_prepared_sql(
      tx,
      std::string("SELECT ") + payment_columns +
          " FROM payments WHERE status IN ('expired', 'failed') AND provider = $1"
          " AND provider_payment_id IS NOT NULL"
          " AND created_at >= now() - make_interval(days => $2) AND id::text > $3"
          " ORDER BY id::text LIMIT $4",
      provider, static_cast<int>(days), after_id, limit);
  std::vector<payment_row> out;
  for (const auto& row : rows) out.push_back(to_payment(row));
  return out;
}

bool set_provider_payment_id(pqxx::dbtransaction& tx, const std::string& payment_id,
                             const std::string& provider_payment_id) {
  auto r = db::exec_prepared_sql(tx,
                                 "UPDATE payments SET provider_payment_id = $2 WHERE id = $1::uuid"
                                 " AND (provider_payment_id IS NULL OR provider_payment_id = $2)",
                                 payment_id, provider_payment_id);
  return r.affected_rows() == 1;
}

bool lock_payment_owner(pqxx::dbtransaction& tx, const std::string& payment_id) {
  return !db::exec_prepared_sql(tx,
                                "SELECT 1 FROM users WHERE id = (SELECT user_id FROM payments"
                                " WHERE id = $1::uuid) FOR NO KEY UPDATE",
                                payment_id)
              .empty();
}

std::optional<payment_row> find_payment_for_update(pqxx::dbtransaction& tx,
                                                   const std::string& payment_id) {
  return first_payment(db::exec_prepared_sql(
      tx,
      std::string("SELECT ") + payment_columns + " FROM payments WHERE id = $1::uuid FOR UPDATE",
      payment_id));
}

std::optional<payment_row> find_payment_by_provider_id(pqxx::dbtransaction& tx,
                                                       const std::string& provider,
                                                       const std::string& provider_payment_id) {
  return first_payment(
      db::exec_prepared_sql(tx,
                            std::string("SELECT ") + payment_columns +
                                " FROM payments WHERE provider = $1 AND provider_payment_id = $2",
                            provider, provider_payment_id));
}

bool mark_payment_succeeded(pqxx::dbtransaction& tx, const std::string& payment_id,
                            const std::optional<std::string>& granted_expiry_iso) {
  auto r = db::exec_prepared_sql(tx,
                                 "UPDATE payments SET status = 'succeeded', finalized_at = now(),"
                                 " granted_expiry = $2::timestamptz WHERE id = $1::uuid"
                                 " AND status IN ('pending', 'expired', 'failed')",
                                 payment_id, granted_expiry_iso);
  return r.affected_rows() == 1;
}

bool mark_payment_mismatch(pqxx::dbtransaction& tx, const std::string& payment_id) {
  auto r =
      db::exec_prepared_sql(tx,
                            "UPDATE payments SET status = 'mismatch', finalized_at = now()"
                            " WHERE id = $1::uuid AND status IN ('pending', 'expired', 'failed')",
                            payment_id);
  return r.affected_rows() == 1;
}

bool mark_payment_if_pending(pqxx::dbtransaction& tx, const std::string& payment_id,
                             const std::string& status) {
  auto r = db::exec_prepared_sql(tx,
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
  for (const auto& row : db::exec_prepared_sql(
           tx,
           "UPDATE payments SET status = 'expired', finalized_at = now() WHERE id IN ("
           " SELECT id FROM payments WHERE status = 'pending' AND expires_at <= $1::timestamptz"
           " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
           " AND status = 'pending' RETURNING id::text, user_id",
           now_iso, limit))
    out.push_back({row[0].as<std::string>(), row[1].as<int64_t>()});
  return out;
}

}  // namespace vpnbot::db
