#include "adapters/db/ledger_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

ledger_outcome post_ledger_entry(pqxx::dbtransaction& tx, int64_t user_id, int64_t delta,
                                 const std::string& currency, const std::string& reason,
                                 const std::string& ref) {
  // The row lock serializes entries of one user until commit, so the check
  // below cannot go stale; the CHECK (balance >= 0) stays the last word.
  auto balance =
      db::exec_prepared_sql1(tx, "SELECT balance FROM users WHERE id = $1 FOR UPDATE", user_id)[0]
          .as<int64_t>();
  if (!db::exec_prepared_sql(tx, "SELECT 1 FROM balance_ledger WHERE ref = $1", ref).empty())
    return ledger_outcome::already_applied;
  if (balance + delta < 0) return ledger_outcome::insufficient_funds;
  auto r =
      db::exec_prepared_sql(tx,
                            "INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) "
                            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ref) DO NOTHING RETURNING id",
                            user_id, delta, currency, reason, ref);
  return r.empty() ? ledger_outcome::already_applied : ledger_outcome::applied;
}

int64_t balance_of(pqxx::dbtransaction& tx, int64_t user_id) {
  return db::exec_prepared_sql1(tx, "SELECT balance FROM users WHERE id = $1", user_id)[0]
      .as<int64_t>();
}

std::optional<ledger_entry> ledger_entry_by_ref(pqxx::dbtransaction& tx, const std::string& ref) {
  auto r = db::exec_prepared_sql(
      tx,
      "SELECT delta, currency, reason, ref,"
      " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
      "FROM balance_ledger WHERE ref = $1",
      ref);
  if (r.empty()) return std::nullopt;
  return ledger_entry{r[0][0].as<int64_t>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                      r[0][3].as<std::string>(), r[0][4].as<std::string>()};
}

std::vector<ledger_entry> recent_ledger_entries(pqxx::dbtransaction& tx, int64_t user_id,
                                                int limit) {
  std::vector<ledger_entry> out;
  for (const auto& row : db::exec_prepared_sql(
           tx,
           "SELECT delta, currency, reason, ref,"
           " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
           "FROM balance_ledger WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
           user_id, limit))
    out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<std::string>(), row[4].as<std::string>()});
  return out;
}

int64_t total_of_reason(pqxx::dbtransaction& tx, int64_t user_id, const std::string& reason) {
  return db::exec_prepared_sql(tx,
                               "SELECT coalesce(sum(delta), 0) FROM balance_ledger WHERE user_id = "
                               "$1 AND reason = $2",
                               user_id, reason)[0][0]
      .as<int64_t>();
}

}  // namespace vpnbot::db
