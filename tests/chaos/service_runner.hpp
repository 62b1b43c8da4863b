#pragma once

// The real vpnbot binary under chaos: started on a fixed loopback port (so a
// restarted process is found where the notifications go), killed with
// SIGKILL and started again, and watched for exits nobody asked for (a root
// that gave up), which are counted and answered with a restart, as a process
// manager would.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/service_process.hpp"

namespace vpnbot::chaos {

class service_runner {
 public:
  service_runner(std::vector<std::string> args, std::map<std::string, std::string> env,
                 uint16_t port);
  ~service_runner();

  uint16_t port() const { return port_; }
  // Starts the binary and waits until /healthz answers.
  void start();
  // kill -9, then start again.
  void kill_and_restart();
  // Restarts the binary when it has exited on its own; true when it had.
  bool restart_if_exited();
  // SIGTERM; the exit code.
  std::optional<int> stop();

  // Its warning and error lines so far, over every process it started.
  std::vector<std::string> complaints() const;

 private:
  void wait_until_serving();
  void keep_complaints();

  std::vector<std::string> args_;
  std::map<std::string, std::string> env_;
  uint16_t port_;
  mutable std::mutex mutex_;
  std::unique_ptr<testing_support::service_process> process_;
  std::vector<std::string> complaints_;
};

// A loopback port nothing listens on now.
uint16_t free_loopback_port();

}  // namespace vpnbot::chaos
