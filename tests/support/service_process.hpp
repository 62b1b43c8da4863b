#pragma once

// Runs the real vpnbot binary as a child process for end-to-end tests:
// environment in, JSON log lines out, signals and exit status.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"

namespace vpnbot::testing_support {

// Path of the binary under test (VPNBOT_BINARY, set by CTest).
std::string vpnbot_binary();

// The environment of a binary on `database_url` talking to `emu`: HTTP on
// a free loopback port, warnings and errors logged, a short long poll.
std::map<std::string, std::string> service_env(const std::string& database_url,
                                               const emulators::bot_api_emulator& emu);

class service_process {
 public:
  service_process(std::vector<std::string> args, std::map<std::string, std::string> env);
  ~service_process();
  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  // Waits for a stderr line (parsed JSON when possible) that satisfies pred.
  std::optional<nlohmann::json> wait_for_log(const std::function<bool(const nlohmann::json&)>& pred,
                                             std::chrono::milliseconds timeout);

  // Waits until the process has printed that its HTTP server listens; returns the port.
  std::optional<uint16_t> wait_for_http_port(std::chrono::milliseconds timeout);

  void signal(int sig);

  // Exit code, or 128+signal when killed by a signal; nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  std::vector<std::string> lines() const;
  pid_t pid() const { return pid_; }

 private:
  void read_loop(int fd);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

}  // namespace vpnbot::testing_support
