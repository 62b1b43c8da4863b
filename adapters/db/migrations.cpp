#include "adapters/db/migrations.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "adapters/db/db_error.hpp"
#include "adapters/log/logger.hpp"

namespace vpnbot::db {
namespace {

// Arbitrary, fixed: every vpnbot node agrees on it.
constexpr long long migration_lock_key = 0x7670'6e62'6f74;  // "vpnbot"

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

caf::error migration_error(const std::string& text) {
  return caf::make_error(db_errc::migration_failed, text);
}

}  // namespace

caf::expected<std::vector<migration>> load_migrations(const std::vector<embedded_file>& files) {
  static const std::regex pattern{R"(^([0-9]{4})_[a-z0-9_]+\.sql$)"};
  std::vector<migration> out;
  std::set<int> versions;
  for (const auto& f : files) {
    std::string name(f.name);
    std::smatch m;
    if (!std::regex_match(name, m, pattern))
      return migration_error("migration file name '" + name + "' is not NNNN_name.sql");
    int version = std::stoi(m[1]);
    if (!versions.insert(version).second)
      return migration_error("two migration files have version " + m[1].str());
    out.push_back({version, name, std::string(f.content), sha256_hex(f.content)});
  }
  std::sort(out.begin(), out.end(),
            [](const migration& a, const migration& b) { return a.version < b.version; });
  return out;
}

caf::expected<std::vector<std::string>> apply_migrations(pqxx::connection& conn,
                                                         const std::vector<migration>& migrations) {
  std::vector<std::string> applied;
  // A session-level lock: released by the unlock below, or by the server
  // when this connection dies, so a crashed node never blocks the others.
  pqxx::nontransaction(conn).exec_params("SELECT pg_advisory_lock($1)", migration_lock_key);
  auto unlock = [&] {
    try {
      pqxx::nontransaction(conn).exec_params("SELECT pg_advisory_unlock($1)", migration_lock_key);
    } catch (const std::exception&) {
      // The connection is gone; so is the lock.
    }
  };
  try {
    {
      pqxx::work tx{conn};
      tx.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
          " applied_at timestamptz NOT NULL DEFAULT now())");
      tx.commit();
    }
    std::map<int, std::pair<std::string, std::string>> done;
    {
      pqxx::work tx{conn};
      for (const auto& row : tx.exec("SELECT version, name, checksum FROM schema_migrations"))
        done[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
    }
    for (const auto& m : migrations) {
      if (auto it = done.find(m.version); it != done.end()) {
        if (it->second.second != m.checksum) {
          unlock();
          return migration_error("migration " + m.name +
                                 " was changed after it was applied (checksum differs)");
        }
        continue;
      }
      try {
        pqxx::work tx{conn};
        tx.exec(m.sql);
        tx.exec_params(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            m.version, m.name, m.checksum);
        tx.commit();
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const std::exception& e) {
        unlock();
        return migration_error("migration " + m.name + " failed: " + e.what());
      }
      log::info("db", "migration applied", {{"migration", m.name}});
      applied.push_back(m.name);
    }
  } catch (const pqxx::broken_connection& e) {
    return caf::make_error(db_errc::connection_lost, std::string("while migrating: ") + e.what());
  }
  unlock();
  return applied;
}

caf::expected<std::vector<std::string>> migrate(const std::string& url) {
  auto migrations = load_migrations(embedded_migration_files());
  if (!migrations) return migrations.error();
  try {
    pqxx::connection conn{url};
    return apply_migrations(conn, *migrations);
  } catch (const std::exception& e) {
    return caf::make_error(db_errc::unavailable, std::string("cannot connect: ") + e.what());
  }
}

}  // namespace vpnbot::db
