#pragma once

// The run's own database (or a test's) on the test PostgreSQL, read by the driver through
// the connection cuts it makes itself: every query is retried on a broken
// connection until it succeeds or a minute has passed.

#include <pqxx/pqxx>
#include <string>

namespace vpnbot::chaos {

class chaos_database {
 public:
  chaos_database();                          // a fresh database, dropped at the end
  explicit chaos_database(std::string url);  // an existing one, left alone
  ~chaos_database();
  chaos_database(const chaos_database&) = delete;
  chaos_database& operator=(const chaos_database&) = delete;

  const std::string& url() const { return url_; }
  pqxx::result rows(const std::string& sql) const;
  // The first column of the first row; "" for none or null.
  std::string scalar(const std::string& sql) const;
  // Terminates every other connection to this database (the service's pool,
  // its LISTEN connection): PostgreSQL restarting, as the service sees it.
  // Returns how many were cut.
  int cut_connections() const;
  // Restarts the pg_virtualenv cluster itself (pg_ctlcluster, fast mode):
  // every connection ends and none is taken until it is back. True on success.
  bool restart_server() const;

 private:
  std::string url_;
  std::string name_;
};

}  // namespace vpnbot::chaos
