#include "adapters/db/audit_repository.hpp"

namespace vpnbot::db {

void audit(pqxx::dbtransaction& tx, const std::string& actor, const std::string& action,
           const std::string& subject, const std::string& details_json) {
  tx.exec_params(
      "INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4::jsonb)",
      actor, action, subject, details_json);
}

}  // namespace vpnbot::db
