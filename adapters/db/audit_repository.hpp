#pragma once

// What admins and the system did to whom, for operators and disputes.

#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

void audit(pqxx::dbtransaction& tx, const std::string& actor, const std::string& action,
           const std::string& subject, const std::string& details_json = "{}");

}  // namespace vpnbot::db
