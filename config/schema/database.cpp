// The [database] keys: the connection pool and the embedded server.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_database_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back({"database", "url",
               "postgresql:// URI; empty starts a private PostgreSQL under service.data_dir",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 if (!v.empty() && v.rfind("postgresql://", 0) != 0 &&
                     v.rfind("postgres://", 0) != 0)
                   return "expected a postgresql:// URI or nothing";
                 s.database.url = v;
                 return std::nullopt;
               },
               [](const settings& s) { return s.database.url; }});
  k.push_back(uint_key("database", "pool_size", "database connections (one actor each)",
                       &settings::database, &database_settings::pool_size, 1, 64));
  k.push_back(duration_key("database", "statement_timeout", "server-side limit per statement",
                           &settings::database, &database_settings::statement_timeout, 10ms));
  k.push_back(duration_key("database", "connect_timeout", "limit for opening a connection",
                           &settings::database, &database_settings::connect_timeout, 1000ms));
  k.push_back(duration_key("database", "request_timeout",
                           "limit for one database call, queue wait included", &settings::database,
                           &database_settings::request_timeout, 10ms));
  k.push_back(uint_key("database", "max_queue",
                       "database calls allowed to wait; more are refused at once",
                       &settings::database, &database_settings::max_queue, 1, 1000000));
  k.push_back(uint_key("database", "group_commit",
                       "calls waiting together that share one transaction (1: one each)",
                       &settings::database, &database_settings::group_commit, 1, 1000));
  k.push_back(duration_key("database", "group_wait",
                           "how long a call waits for others to share its transaction while"
                           " another runs (0: never)",
                           &settings::database, &database_settings::group_wait, 0ms));
  k.push_back(string_key("database", "embedded_dir",
                         "cluster directory of the embedded server "
                         "(default <data_dir>/pg)",
                         &settings::database, &database_settings::embedded_dir));
  k.push_back(string_key("database", "embedded_bin_dir", "PostgreSQL 15 server binaries",
                         &settings::database, &database_settings::embedded_bin_dir));
  k.push_back(string_key("database", "embedded_user",
                         "system user the embedded server runs as when vpnbot runs as root",
                         &settings::database, &database_settings::embedded_user));
}

}  // namespace vpnbot::config
