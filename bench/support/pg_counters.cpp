#include "bench/support/pg_counters.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <pqxx/pqxx>

#include "adapters/http/url.hpp"

namespace vpnbot::bench {

namespace {

// The role initdb made: vpnbot's embedded_user ("vpnbot") under root, else ours.
std::string cluster_user() {
  if (::geteuid() == 0) return "vpnbot";
  return ::getpwuid(::geteuid())->pw_name;
}

}  // namespace

void preload_pg_stat_statements(const std::string& cluster_dir) {
  std::ofstream(cluster_dir + "/postgresql.conf", std::ios::app)
      << "\nshared_preload_libraries = 'pg_stat_statements'\n";
}

pg_counters::pg_counters(const std::string& cluster_dir)
    : db_(std::make_unique<pqxx::connection>(
          "postgresql://" + http::percent_encode(cluster_user()) +
          "@/vpnbot?host=" + http::percent_encode(cluster_dir))) {
  pqxx::nontransaction tx{*db_};
  statements_ = !tx.exec(
                       "SELECT 1 FROM pg_settings WHERE name = 'shared_preload_libraries' AND "
                       "setting LIKE '%pg_stat_statements%'")
                     .empty();
  if (statements_) tx.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
}

pg_counters::~pg_counters() = default;

void pg_counters::execute(const std::string& sql) {
  pqxx::work tx{*db_};
  tx.exec(sql);
  tx.commit();
}

int64_t pg_counters::committed_transactions() {
  pqxx::nontransaction tx{*db_};
  return tx.exec("SELECT xact_commit FROM pg_stat_database WHERE datname = 'vpnbot'")[0][0]
      .as<int64_t>();
}

std::optional<statement_counts> pg_counters::statements() {
  if (!statements_) return std::nullopt;
  pqxx::nontransaction tx{*db_};
  // This reader's own queries all name a pg_stat view; they are left out.
  auto row = tx.exec(
      "SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(calls) FILTER (WHERE query ~* "
      "'^\\s*(begin|commit|rollback|start transaction)'), 0)::bigint FROM pg_stat_statements s "
      "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'vpnbot' "
      "AND s.query NOT LIKE '%pg_stat%'")[0];
  return statement_counts{row[0].as<int64_t>(), row[1].as<int64_t>()};
}

std::vector<statement_calls> pg_counters::busiest(int n) {
  std::vector<statement_calls> out;
  if (!statements_) return out;
  pqxx::nontransaction tx{*db_};
  for (const auto& row : tx.exec_params(
           "SELECT s.calls, s.total_exec_time, regexp_replace(s.query, '\\s+', ' ', 'g') FROM pg_stat_statements s "
           "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'vpnbot' "
           "AND s.query NOT LIKE '%pg_stat%' ORDER BY s.calls DESC LIMIT $1",
           n))
    out.push_back({row[0].as<int64_t>(), row[1].as<double>(), row[2].as<std::string>()});
  return out;
}

}  // namespace vpnbot::bench
