#include "adapters/db/menu_facts.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

menu_facts read_menu_facts(pqxx::dbtransaction& tx, int64_t user_id) {
  auto r = db::exec_prepared_sql1(
      tx,
      "SELECT EXISTS (SELECT 1 FROM plans WHERE active AND is_trial)"
      " AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE user_id = $1 AND kind = 'trial'),"
      " (SELECT count(*) FROM panels WHERE active)",
      user_id);
  return {r[0].as<bool>(), r[1].as<int64_t>()};
}

}  // namespace vpnbot::db
