#include "adapters/db/menu_facts.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

std::string menu_facts_columns(const std::string& user_id) {
  return "EXISTS (SELECT 1 FROM plans WHERE active AND is_trial)"
         " AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE user_id = " +
         user_id + " AND kind = 'trial'), (SELECT count(*) FROM panels WHERE active)";
}

menu_facts read_menu_facts_columns(const pqxx::row& r, pqxx::row::size_type first) {
  return {r[first].as<bool>(), r[first + 1].as<int64_t>()};
}

menu_facts read_menu_facts(pqxx::dbtransaction& tx, int64_t user_id) {
  static const std::string sql = "SELECT " + menu_facts_columns("$1");
  return read_menu_facts_columns(db::exec_prepared_sql1(tx, sql, user_id), 0);
}

}  // namespace vpnbot::db
