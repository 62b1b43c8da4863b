#include "support/test_database.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <pqxx/pqxx>

#include "adapters/http/url.hpp"

namespace vpnbot::testing_support {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string url_for(const std::string& database) {
  auto host = env_or("PGHOST", "localhost");
  std::string url = "postgresql://" + http::percent_encode(env_or("PGUSER", "postgres"));
  if (auto pw = env_or("PGPASSWORD", ""); !pw.empty()) url += ":" + http::percent_encode(pw);
  // A socket directory goes into the host query parameter.
  if (host.front() == '/')
    url += "@/" + database + "?host=" + http::percent_encode(host) +
           "&port=" + env_or("PGPORT", "5432");
  else
    url += "@" + host + ":" + env_or("PGPORT", "5432") + "/" + database;
  return url;
}

}  // namespace

std::optional<std::string> test_database_url() {
  if (!std::getenv("PGHOST") && !std::getenv("PGPORT")) return std::nullopt;
  return url_for(env_or("PGDATABASE", "postgres"));
}

std::string create_fresh_database(const std::string& name_hint) {
  static std::atomic<int> counter{0};
  std::string name = "t_";
  for (char c : name_hint)
    name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  name = name.substr(0, 40) + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  auto admin = test_database_url();
  if (!admin) throw std::runtime_error("no test PostgreSQL (run through scripts/test.sh)");
  pqxx::connection c{*admin};
  pqxx::nontransaction tx{c};
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name));
  tx.exec("CREATE DATABASE " + tx.quote_name(name));
  return url_for(name);
}

void drop_database(const std::string& name) {
  auto admin = test_database_url();
  if (!admin) return;
  pqxx::connection c{*admin};
  pqxx::nontransaction tx{c};
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
}

}  // namespace vpnbot::testing_support
