#pragma once

// The real vpnbot binary under a benchmark: a child process on a fresh
// temporary data directory with its embedded PostgreSQL, polling a lean Bot
// API emulator, with Telegram's send limits and the per-user flood limit
// lifted so that only the service itself limits the throughput. The cluster
// is made on a first start and the service started again with
// pg_stat_statements preloaded, so statements can be counted.

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "bench/support/lean_bot_api.hpp"

namespace vpnbot::testing_support {
class service_process;
}

namespace vpnbot::bench {

class vpnbot_under_bench {
 public:
  // Returns once the service answers /readyz and polls getUpdates; throws
  // when it does not within two minutes.
  // `settings`: VPNBOT_* variables that replace the bench's defaults.
  vpnbot_under_bench(const std::string& binary, const lean_bot_api& api,
                     std::map<std::string, std::string> settings = {});
  // Stops the service (and so its PostgreSQL) and removes the data directory.
  ~vpnbot_under_bench();
  vpnbot_under_bench(const vpnbot_under_bench&) = delete;
  vpnbot_under_bench& operator=(const vpnbot_under_bench&) = delete;

  pid_t pid() const;
  const std::string& cluster_dir() const { return cluster_dir_; }

 private:
  void start();
  void stop();

  const lean_bot_api& api_;
  std::string binary_;
  std::map<std::string, std::string> settings_;
  std::string data_dir_;
  std::string cluster_dir_;
  std::unique_ptr<testing_support::service_process> process_;
};

}  // namespace vpnbot::bench
