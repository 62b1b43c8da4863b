#include "adapters/db/audit_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

void audit(pqxx::dbtransaction& tx, const std::string& actor, const std::string& action,
           const std::string& subject, const std::string& details_json) {
  db::exec_prepared_sql(
      tx, "INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4::jsonb)",
      actor, action, subject, details_json);
}

}  // namespace vpnbot::db
