#pragma once

// The PostgreSQL the test run started (pg_virtualenv exports PGHOST, PGPORT,
// PGUSER, PGPASSWORD and PGDATABASE). Tests that need it skip with a clear
// reason when run outside scripts/test.sh.

#include <optional>
#include <string>

namespace vpnbot::testing_support {

// postgresql:// URI of the test server, or nullopt when none is configured.
std::optional<std::string> test_database_url();

// A fresh, empty database on the test server named after the running test;
// dropped again by drop_database. Returns its URI.
std::string create_fresh_database(const std::string& name_hint);
void drop_database(const std::string& name);

}  // namespace vpnbot::testing_support
