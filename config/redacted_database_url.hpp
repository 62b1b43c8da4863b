#pragma once

// A PostgreSQL connection string with its password replaced by "***", for
// --check-config and logs. Both libpq forms: a URI (the password in the
// user info, even one with an unescaped '@', and a `password=` query
// parameter) and key=value conninfo (`password=...`, quoted or not).

#include <string>
#include <string_view>

namespace vpnbot::config {

std::string redacted_database_url(std::string_view url);

}  // namespace vpnbot::config
