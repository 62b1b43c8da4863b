#pragma once

// Versioned SQL migrations, compiled into the binary from
// adapters/db/migrations/NNNN_name.sql and applied at start: in order, each
// in its own transaction, under an advisory lock so nodes starting together
// take turns. Applied files are remembered with a checksum; an applied file
// that changed afterwards stops the start instead of drifting silently.

#include <caf/expected.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "config/embedded_file.hpp"

namespace vpnbot::db {

struct migration {
  int version = 0;
  std::string name;  // the file name
  std::string sql;
  std::string checksum;  // hex SHA-256 of sql
};

// Every adapters/db/migrations/*.sql as built into this binary.
const std::vector<embedded_file>& embedded_migration_files();

// Orders and checks the files: names must be NNNN_<words>.sql with unique versions.
caf::expected<std::vector<migration>> load_migrations(const std::vector<embedded_file>& files);

// The versions applied by this call (empty when the schema was current).
caf::expected<std::vector<std::string>> apply_migrations(pqxx::connection& conn,
                                                         const std::vector<migration>& migrations);

// Connects to `url` and applies the built-in migrations.
caf::expected<std::vector<std::string>> migrate(const std::string& url);

}  // namespace vpnbot::db
