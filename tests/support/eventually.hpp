#pragma once

// Polls a condition until it holds or the timeout passes; the result is the
// last evaluation. For tests that wait on another process or actor.

#include <chrono>
#include <functional>
#include <thread>

namespace vpnbot::testing_support {

inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace vpnbot::testing_support
