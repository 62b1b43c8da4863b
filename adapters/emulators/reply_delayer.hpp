#pragma once

// Answers an emulator holds back (a "slow panel" fault): each is sent from
// the delayer's own thread when its time comes, so the emulator's handler
// never sleeps. What is still held when the delayer stops is sent at once,
// so no client waits for an answer that will never come.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "messages/http.hpp"

namespace vpnbot::emulators {

class reply_delayer {
 public:
  using reply_fn = std::function<void(http_response)>;

  reply_delayer();
  ~reply_delayer();
  reply_delayer(const reply_delayer&) = delete;
  reply_delayer& operator=(const reply_delayer&) = delete;

  void hold(std::chrono::milliseconds delay, reply_fn reply, http_response response);
  // Sends what is held now and ends the thread; later holds are sent at once.
  void stop();

 private:
  using clock_type = std::chrono::steady_clock;
  struct held {
    clock_type::time_point due;
    reply_fn reply;
    http_response response;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<held> held_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vpnbot::emulators
