#pragma once

// SIGINT and SIGTERM as events instead of interrupts: the signals are blocked
// in every thread (call before any thread starts) and one thread waits for
// them. The first asks for a graceful stop; a second one ends the process at
// once, for an operator who does not want to wait.

#include <signal.h>

#include <functional>
#include <thread>

namespace vpnbot::app {

class shutdown_signals {
 public:
  // Blocks the signals for this thread and all threads it will create.
  shutdown_signals();
  ~shutdown_signals();
  shutdown_signals(const shutdown_signals&) = delete;
  shutdown_signals& operator=(const shutdown_signals&) = delete;

  // Starts waiting; `on_stop` runs on the signal thread with the signal name.
  void start(std::function<void(const char* signal_name)> on_stop);

 private:
  sigset_t set_;
  std::thread waiter_;
};

}  // namespace vpnbot::app
