#include "adapters/db/refund_requests_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* columns =
    "r.id::text, r.payment_id::text, p.provider, coalesce(p.provider_payment_id, ''),"
    " r.amount_minor, r.currency, r.status, r.provider_refund_id, r.attempts, r.last_error";

refund_request_row row_of(const pqxx::row& r) {
  refund_request_row out;
  out.id = r[0].as<std::string>();
  out.payment_id = r[1].as<std::string>();
  out.provider = r[2].as<std::string>();
  out.provider_payment_id = r[3].as<std::string>();
  out.amount_minor = r[4].as<int64_t>();
  out.currency = r[5].as<std::string>();
  out.status = r[6].as<std::string>();
  if (!r[7].is_null()) out.provider_refund_id = r[7].as<std::string>();
  out.attempts = r[8].as<int>();
  if (!r[9].is_null()) out.last_error = r[9].as<std::string>();
  return out;
}

}  // namespace

refund_request_row insert_refund_request(pqxx::dbtransaction& tx, const new_refund_request& r) {
  auto id = exec_prepared_sql1(
                tx,
                "INSERT INTO refund_requests (id, payment_id, amount_minor, currency,"
                " idempotence_key, operator_kind, operator_id) SELECT g.id, $1::uuid,"
                " $2, $3, g.id::text, $4, $5 FROM (SELECT gen_random_uuid() AS id) g"
                " RETURNING id::text",
                r.payment_id, r.amount_minor, r.currency, r.operator_kind, r.operator_id)[0]
                .as<std::string>();
  tx.exec(std::string("NOTIFY ") + refund_requests_channel);
  return row_of(exec_prepared_sql1(
      tx,
      std::string("SELECT ") + columns +
          " FROM refund_requests r JOIN payments p ON p.id = r.payment_id WHERE r.id = $1::uuid",
      id));
}

int64_t unsettled_refund_amount(pqxx::dbtransaction& tx, const std::string& payment_id) {
  return exec_prepared_sql1(
             tx,
             "SELECT coalesce(sum(r.amount_minor), 0)::bigint FROM refund_requests r JOIN"
             " payments p ON p.id = r.payment_id WHERE r.payment_id = $1::uuid AND r.status IN"
             " ('requested', 'sent') AND NOT EXISTS (SELECT 1 FROM payment_refunds f WHERE"
             " f.provider = p.provider AND f.refund_id = r.provider_refund_id)",
             payment_id)[0]
      .as<int64_t>();
}

std::vector<refund_request_row> lease_due_refund_requests(pqxx::dbtransaction& tx, int limit,
                                                          std::chrono::seconds lease) {
  std::vector<refund_request_row> out;
  for (const auto& r : exec_prepared_sql(
           tx,
           std::string("WITH due AS (SELECT id FROM refund_requests WHERE status IN ('requested',"
                       " 'sent') AND next_attempt_at <= now() AND (lease_until IS NULL OR"
                       " lease_until < now()) ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP"
                       " LOCKED), leased AS (UPDATE refund_requests r SET lease_until = now() +"
                       " make_interval(secs => $2), attempts = r.attempts + 1, updated_at = now()"
                       " FROM due WHERE r.id = due.id RETURNING r.*) SELECT ") +
               columns + " FROM leased r JOIN payments p ON p.id = r.payment_id",
           limit, static_cast<double>(lease.count())))
    out.push_back(row_of(r));
  return out;
}

std::optional<refund_request_row> lock_unsettled_refund_request(pqxx::dbtransaction& tx,
                                                                const std::string& id) {
  auto r = exec_prepared_sql(tx,
                             std::string("SELECT ") + columns +
                                 " FROM refund_requests r JOIN payments p ON p.id = r.payment_id"
                                 " WHERE r.id = $1::uuid AND r.status IN ('requested', 'sent')"
                                 " FOR UPDATE OF r",
                             id);
  if (r.empty()) return std::nullopt;
  return row_of(r[0]);
}

void settle_refund_request(pqxx::dbtransaction& tx, const std::string& id,
                           const std::string& status,
                           const std::optional<std::string>& provider_refund_id,
                           const std::optional<std::string>& error) {
  exec_prepared_sql(tx,
                    "UPDATE refund_requests SET status = $2, provider_refund_id ="
                    " coalesce($3, provider_refund_id), last_error = coalesce($4, last_error),"
                    " lease_until = NULL, updated_at = now(), settled_at = now()"
                    " WHERE id = $1::uuid",
                    id, status, provider_refund_id, error);
}

void defer_refund_request(pqxx::dbtransaction& tx, const std::string& id,
                          const std::optional<std::string>& provider_refund_id,
                          const std::optional<std::string>& error, std::chrono::milliseconds wait,
                          std::chrono::milliseconds max_wait) {
  exec_prepared_sql(
      tx,
      "UPDATE refund_requests SET status = 'sent', provider_refund_id ="
      " coalesce($2, provider_refund_id), last_error = $3, lease_until = NULL, updated_at = now(),"
      " next_attempt_at = now() + make_interval(secs => least($4 * power(2::float8,"
      " least(greatest(attempts - 1, 0), 30)), $5) / 1000.0) WHERE id = $1::uuid",
      id, provider_refund_id, error, static_cast<double>(wait.count()),
      static_cast<double>(max_wait.count()));
}

}  // namespace vpnbot::db
