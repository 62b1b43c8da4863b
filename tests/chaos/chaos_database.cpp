#include "chaos/chaos_database.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "support/test_database.hpp"

namespace vpnbot::chaos {

chaos_database::chaos_database() : url_(testing_support::create_fresh_database("chaos")) {
  name_ = url_.substr(url_.rfind('/') + 1);
  name_ = name_.substr(0, name_.find('?'));
}

chaos_database::chaos_database(std::string url) : url_(std::move(url)) {}

chaos_database::~chaos_database() {
  if (!name_.empty()) testing_support::drop_database(name_);
}

pqxx::result chaos_database::rows(const std::string& sql) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  for (;;) {
    try {
      pqxx::connection c(url_);
      pqxx::work tx(c);
      auto r = tx.exec(sql);
      tx.commit();
      return r;
    } catch (const pqxx::broken_connection&) {
      if (std::chrono::steady_clock::now() > deadline) throw;
    } catch (const pqxx::in_doubt_error&) {
      // The driver only reads (and cuts): running it again is harmless.
      if (std::chrono::steady_clock::now() > deadline) throw;
    } catch (const pqxx::sql_error& e) {
      // 57P01: this very connection was among those cut; 57P03: the server
      // is starting or stopping.
      if ((e.sqlstate() != "57P01" && e.sqlstate() != "57P03") ||
          std::chrono::steady_clock::now() > deadline)
        throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string chaos_database::scalar(const std::string& sql) const {
  auto r = rows(sql);
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
}

int chaos_database::cut_connections() const {
  return std::stoi(
      scalar("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
             " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
}

bool chaos_database::restart_server() const {
  // pg_virtualenv names its cluster "regress" and exports its version.
  const char* version = std::getenv("PGVERSION");
  auto command = std::string("pg_ctlcluster ") + (version ? version : "15") +
                 " regress restart -m fast >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace vpnbot::chaos
