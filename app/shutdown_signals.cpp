#include "app/shutdown_signals.hpp"

#include <pthread.h>
#include <unistd.h>

#include "adapters/log/logger.hpp"

namespace vpnbot::app {

shutdown_signals::shutdown_signals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  // SIGUSR2 only wakes the waiter when the process ends on its own.
  sigaddset(&set_, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

shutdown_signals::~shutdown_signals() {
  if (waiter_.joinable()) {
    pthread_kill(waiter_.native_handle(), SIGUSR2);
    waiter_.join();
  }
}

void shutdown_signals::start(std::function<void(const char*)> on_stop) {
  waiter_ = std::thread([this, on_stop = std::move(on_stop)] {
    bool stopping = false;
    for (;;) {
      int sig = 0;
      if (sigwait(&set_, &sig) != 0 || sig == SIGUSR2) return;
      const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
      if (stopping) {
        log::warn("service", "second stop signal: exiting immediately", {{"signal", name}});
        ::_exit(130);
      }
      stopping = true;
      on_stop(name);
    }
  });
}

}  // namespace vpnbot::app
