#pragma once

// Bounds a graceful stop: once armed, the process ends with exit code 1 if it
// is still alive when the time is up. Disarmed by destruction.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace vpnbot::app {

class stop_deadline {
 public:
  stop_deadline() = default;
  ~stop_deadline();
  stop_deadline(const stop_deadline&) = delete;
  stop_deadline& operator=(const stop_deadline&) = delete;

  // Arms the deadline once; later calls are ignored.
  void arm(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable cancelled_;
  bool done_ = false;
  std::thread timer_;
};

}  // namespace vpnbot::app
