#include "adapters/db/traffic_repository.hpp"

namespace vpnbot::db {

int64_t record_traffic(pqxx::dbtransaction& tx, const std::string& panel,
                       const std::vector<traffic_reading>& readings) {
  int64_t changed = 0;
  for (const auto& r : readings)
    changed += static_cast<int64_t>(
        tx.exec_params("UPDATE subscriptions s SET traffic_used_bytes = $3, traffic_checked_at = "
                       "now() FROM panels p WHERE s.id = $1 AND lower(s.client_email) = lower($2) "
                       "AND s.panel_id = p.id AND p.name = $4",
                       r.subscription_id, r.client_email, r.used_bytes, panel)
            .affected_rows());
  return changed;
}

std::optional<traffic_figures> traffic_of(pqxx::dbtransaction& tx, int64_t subscription_id) {
  auto rows = tx.exec_params(
      "SELECT s.traffic_used_bytes, p.traffic_limit_bytes FROM subscriptions s JOIN plans p ON "
      "p.id = s.plan_id WHERE s.id = $1 AND s.traffic_used_bytes IS NOT NULL",
      subscription_id);
  if (rows.empty()) return std::nullopt;
  return traffic_figures{rows[0][0].as<int64_t>(), rows[0][1].as<int64_t>()};
}

}  // namespace vpnbot::db
