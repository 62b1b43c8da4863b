#include "adapters/db/stats_repository.hpp"

namespace vpnbot::db {

service_counts count_service(pqxx::dbtransaction& tx) {
  auto r = tx.exec(
      "SELECT (SELECT count(*) FROM users),"
      " (SELECT count(*) FROM subscriptions WHERE status = 'active' AND expires_at > now()),"
      " (SELECT count(*) FROM payments WHERE status = 'pending')");
  return {r[0][0].as<int64_t>(), r[0][1].as<int64_t>(), r[0][2].as<int64_t>()};
}

}  // namespace vpnbot::db
