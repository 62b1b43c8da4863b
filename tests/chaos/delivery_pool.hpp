#pragma once

// Delivers notifications the way providers do at their worst: each one
// possibly several times, every copy after a random delay (so they arrive
// out of order), and a refused or failed delivery (the service killed, its
// database cut) again later until it is answered 2xx, as providers retry.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "chaos/notification.hpp"

namespace vpnbot::chaos {

struct delivery_figures {
  int delivered = 0;   // answered 2xx (or queued with Telegram)
  int duplicates = 0;  // copies beyond the first
  int retries = 0;     // deliveries refused or failed, made again
};

class delivery_pool {
 public:
  delivery_pool(emulators::bot_api_emulator& emu, uint16_t port, uint64_t seed, int workers = 2);
  ~delivery_pool();
  delivery_pool(const delivery_pool&) = delete;
  delivery_pool& operator=(const delivery_pool&) = delete;

  // Queues `copies` deliveries of n, each after a delay of up to `spread`.
  void submit(const notification& n, int copies, std::chrono::milliseconds spread);
  // Blocks until every queued delivery was answered or the timeout passed.
  bool drain(std::chrono::milliseconds timeout);
  delivery_figures figures() const;

 private:
  struct pending {
    notification what;
    std::chrono::steady_clock::time_point not_before;
  };
  void work();
  bool deliver(const notification& n);

  emulators::bot_api_emulator& emu_;
  uint16_t port_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::mt19937_64 rng_;
  std::vector<pending> queue_;
  int in_flight_ = 0;
  delivery_figures figures_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace vpnbot::chaos
