#include "adapters/db/traffic_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

int64_t record_traffic(pqxx::dbtransaction& tx, const std::string& panel,
                       const std::vector<traffic_reading>& readings) {
  if (readings.empty()) return 0;
  // One statement for the whole panel: the readings as comma lists (ids,
  // our emails and byte counts hold no commas).
  std::string ids, emails, used;
  for (const auto& r : readings) {
    auto sep = ids.empty() ? "" : ",";
    ids += sep + std::to_string(r.subscription_id);
    emails += sep + r.client_email;
    used += sep + std::to_string(r.used_bytes);
  }
  return static_cast<int64_t>(
      db::exec_prepared_sql(
          tx,
          "UPDATE subscriptions s SET traffic_used_bytes = v.used, traffic_checked_at = now()"
          " FROM panels p, unnest(string_to_array($1, ',')::bigint[], string_to_array($2, ','),"
          " string_to_array($3, ',')::bigint[]) AS v(id, email, used)"
          " WHERE s.id = v.id AND lower(s.client_email) = lower(v.email)"
          " AND s.panel_id = p.id AND p.name = $4",
          ids, emails, used, panel)
          .affected_rows());
}

std::optional<traffic_figures> traffic_of(pqxx::dbtransaction& tx, int64_t subscription_id) {
  auto rows = db::exec_prepared_sql(
      tx,
      "SELECT s.traffic_used_bytes, p.traffic_limit_bytes FROM subscriptions s JOIN plans p ON "
      "p.id = s.plan_id WHERE s.id = $1 AND s.traffic_used_bytes IS NOT NULL",
      subscription_id);
  if (rows.empty()) return std::nullopt;
  return traffic_figures{rows[0][0].as<int64_t>(), rows[0][1].as<int64_t>()};
}

}  // namespace vpnbot::db
