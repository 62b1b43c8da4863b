#include "domain/admin/acting_operator.hpp"

#include "adapters/db/audit_repository.hpp"

namespace vpnbot::admin {

void audit_action(pqxx::dbtransaction& tx, const acting_operator& who, const std::string& action,
                  const std::string& subject, nlohmann::json details) {
  if (who.admin_telegram_id) details["admin"] = *who.admin_telegram_id;
  db::audit(tx, who.actor, action, subject, details.dump());
}

}  // namespace vpnbot::admin
