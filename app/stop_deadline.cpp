#include "app/stop_deadline.hpp"

#include <unistd.h>

#include "adapters/log/logger.hpp"

namespace vpnbot::app {

void stop_deadline::arm(std::chrono::milliseconds timeout) {
  std::lock_guard guard{mutex_};
  if (timer_.joinable() || done_) return;
  timer_ = std::thread([this, timeout] {
    std::unique_lock lock{mutex_};
    if (cancelled_.wait_for(lock, timeout, [this] { return done_; })) return;
    log::error("service", "graceful stop did not finish in time; exiting",
               {{"timeout_ms", timeout.count()}});
    ::_exit(1);
  });
}

stop_deadline::~stop_deadline() {
  {
    std::lock_guard guard{mutex_};
    done_ = true;
  }
  cancelled_.notify_all();
  if (timer_.joinable()) timer_.join();
}

}  // namespace vpnbot::app
