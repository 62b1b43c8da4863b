#include "adapters/db/subscription_liveness.hpp"

#include <string>

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

const char* const subscription_sold_sql =
    "(s.status = 'active' OR (s.status = 'expired' AND NOT EXISTS (SELECT 1 FROM jobs rj"
    " WHERE rj.idempotency_key = 'remove_client:' || s.id || ':'"
    " || extract(epoch FROM s.expires_at)::bigint)))";

const char* const subscription_enabled_sql =
    "(s.status = 'active' AND s.expires_at > now() AND NOT EXISTS (SELECT 1 FROM users bu"
    " WHERE bu.id = s.user_id AND bu.banned))";

std::optional<subscription_liveness> find_subscription_liveness(pqxx::dbtransaction& tx,
                                                                int64_t subscription_id) {
  auto r =
      db::exec_prepared_sql(tx,
                            std::string("SELECT ") + subscription_sold_sql + ", " +
                                subscription_enabled_sql + " FROM subscriptions s WHERE s.id = $1",
                            subscription_id);
  if (r.empty()) return std::nullopt;
  return subscription_liveness{r[0][0].as<bool>(), r[0][1].as<bool>()};
}

}  // namespace vpnbot::db
