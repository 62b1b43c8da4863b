#pragma once

// Work counters of the embedded PostgreSQL, read over its Unix socket:
// committed transactions (pg_stat_database) and executed statements
// (pg_stat_statements, when the server preloads it).

#include <cstdint>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <vector>

namespace vpnbot::bench {

struct statement_counts {
  int64_t all = 0;
  int64_t transaction_control = 0;  // BEGIN, COMMIT, ROLLBACK among them
};

// One statement as pg_stat_statements normalises it, with its call count.
struct statement_calls {
  int64_t calls = 0;
  double exec_ms = 0;  // total execution time inside PostgreSQL
  std::string query;
};

// Makes the cluster preload pg_stat_statements from its next start on.
void preload_pg_stat_statements(const std::string& cluster_dir);

class pg_counters {
 public:
  // The cluster vpnbot started under cluster_dir (socket there, trust auth).
  explicit pg_counters(const std::string& cluster_dir);
  ~pg_counters();

  int64_t committed_transactions();
  // Statements executed by others than this reader; nullopt without the extension.
  std::optional<statement_counts> statements();
  // The n statements called most often (empty without the extension).
  std::vector<statement_calls> busiest(int n);
  bool has_statements() const { return statements_; }
  // The bench's own setup (e.g. rows queued behind the service's back).
  void execute(const std::string& sql);

 private:
  std::unique_ptr<pqxx::connection> db_;
  bool statements_ = false;
};

}  // namespace vpnbot::bench
