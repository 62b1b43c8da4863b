#include "adapters/db/promo_codes_repository.hpp"

#include "adapters/db/optional_field.hpp"
#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* promo_columns =
    "id, code, kind, amount, currency, uses_limit, per_user_once,"
    " to_char(valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " array_to_string(plans, ','), uses, enabled, coalesce(valid_until <= now(), false),"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string join_commas(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

promo_code_row to_promo(const pqxx::row& r) {
  promo_code_row p;
  p.id = r[0].as<int64_t>();
  p.def.code = r[1].as<std::string>();
  p.def.kind = r[2].as<std::string>();
  p.def.amount = r[3].as<int64_t>();
  p.def.currency = optional_field<std::string>(r[4]);
  p.def.uses_limit = optional_field<int>(r[5]);
  p.def.per_user_once = r[6].as<bool>();
  p.def.valid_until = optional_field<std::string>(r[7]);
  p.def.plans = split_commas(r[8].as<std::string>());
  p.uses = r[9].as<int>();
  p.enabled = r[10].as<bool>();
  p.expired = r[11].as<bool>();
  p.created_at = r[12].as<std::string>();
  return p;
}

}  // namespace

std::optional<promo_code_row> insert_promo_code(pqxx::dbtransaction& tx, const new_promo_code& p) {
  auto r = exec_prepared_sql(
      tx,
      std::string("INSERT INTO promo_codes (code, kind, amount, currency, uses_limit,"
                  " per_user_once, valid_until, plans) VALUES ($1, $2, $3, $4, $5, $6,"
                  " $7::timestamptz, coalesce(string_to_array(nullif($8, ''), ','), '{}'))"
                  " ON CONFLICT DO NOTHING RETURNING ") +
          promo_columns,
      p.code, p.kind, p.amount, p.currency, p.uses_limit, p.per_user_once, p.valid_until,
      join_commas(p.plans));
  if (r.empty()) return std::nullopt;
  return to_promo(r[0]);
}

std::vector<promo_code_row> all_promo_codes(pqxx::dbtransaction& tx) {
  std::vector<promo_code_row> out;
  for (const auto& r : exec_prepared_sql(
           tx, std::string("SELECT ") + promo_columns + " FROM promo_codes ORDER BY id"))
    out.push_back(to_promo(r));
  return out;
}

bool disable_promo_code(pqxx::dbtransaction& tx, const std::string& code) {
  return !exec_prepared_sql(
              tx,
              "UPDATE promo_codes SET enabled = false WHERE lower(code) = lower($1) RETURNING id",
              code)
              .empty();
}

void lock_redeeming_user(pqxx::dbtransaction& tx, int64_t user_id) {
  exec_prepared_sql(tx, "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", user_id);
}

std::optional<promo_code_row> lock_promo_code(pqxx::dbtransaction& tx, const std::string& code) {
  auto r = exec_prepared_sql(tx,
                             std::string("SELECT ") + promo_columns +
                                 " FROM promo_codes WHERE lower(code) = lower($1) FOR UPDATE",
                             code);
  if (r.empty()) return std::nullopt;
  return to_promo(r[0]);
}

int redemptions_by(pqxx::dbtransaction& tx, int64_t promo_code_id, int64_t user_id) {
  return exec_prepared_sql1(
             tx, "SELECT count(*) FROM promo_redemptions WHERE promo_code_id = $1 AND user_id = $2",
             promo_code_id, user_id)[0]
      .as<int>();
}

std::optional<int64_t> insert_redemption(pqxx::dbtransaction& tx, int64_t promo_code_id,
                                         int64_t user_id, int nth) {
  auto r = exec_prepared_sql(tx,
                             "INSERT INTO promo_redemptions (promo_code_id, user_id, nth)"
                             " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
                             promo_code_id, user_id, nth);
  if (r.empty()) return std::nullopt;
  exec_prepared_sql(tx, "UPDATE promo_codes SET uses = uses + 1 WHERE id = $1", promo_code_id);
  return r[0][0].as<int64_t>();
}

std::vector<held_discount_row> held_discounts(pqxx::dbtransaction& tx, int64_t user_id) {
  std::vector<held_discount_row> out;
  for (const auto& r : exec_prepared_sql(
           tx,
           "SELECT r.id, c.kind, c.amount, c.currency, array_to_string(c.plans, ','), c.code"
           " FROM promo_redemptions r JOIN promo_codes c ON c.id = r.promo_code_id"
           " WHERE r.user_id = $1 AND r.consumed_payment_id IS NULL"
           " AND c.kind IN ('percent_off', 'fixed_off') ORDER BY r.id FOR UPDATE OF r",
           user_id))
    out.push_back({r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<int64_t>(),
                   optional_field<std::string>(r[3]), split_commas(r[4].as<std::string>()),
                   r[5].as<std::string>()});
  return out;
}

bool consume_redemption(pqxx::dbtransaction& tx, int64_t redemption_id,
                        const std::string& payment_id) {
  return !exec_prepared_sql(tx,
                            "UPDATE promo_redemptions SET consumed_payment_id = $2::uuid"
                            " WHERE id = $1 AND consumed_payment_id IS NULL RETURNING id",
                            redemption_id, payment_id)
              .empty();
}

int fail_other_orders_holding(pqxx::dbtransaction& tx, int64_t redemption_id,
                              const std::string& payment_id) {
  return static_cast<int>(
      exec_prepared_sql(tx,
                        "UPDATE payments SET status = 'failed', finalized_at = now()"
                        " WHERE promo_redemption_id = $1 AND id <> $2::uuid"
                        " AND status = 'pending' RETURNING id",
                        redemption_id, payment_id)
          .size());
}

}  // namespace vpnbot::db
