#include "chaos/delivery_pool.hpp"

#include "adapters/emulators/http_call.hpp"

namespace vpnbot::chaos {

using namespace std::chrono_literals;

delivery_pool::delivery_pool(emulators::bot_api_emulator& emu, uint16_t port, uint64_t seed,
                             int workers)
    : emu_(emu), port_(port), rng_(seed) {
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

delivery_pool::~delivery_pool() {
  {
    std::lock_guard guard{mutex_};
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& w : workers_) w.join();
}

void delivery_pool::submit(const notification& n, int copies, std::chrono::milliseconds spread) {
  std::lock_guard guard{mutex_};
  auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < copies; ++i) {
    auto delay = std::chrono::milliseconds(rng_() % (spread.count() + 1));
    queue_.push_back({n, now + delay});
  }
  figures_.duplicates += copies - 1;
  changed_.notify_all();
}

void delivery_pool::work() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    // A random one of the due deliveries: arrival order means nothing.
    auto now = std::chrono::steady_clock::now();
    std::vector<std::size_t> due;
    for (std::size_t i = 0; i < queue_.size(); ++i)
      if (queue_[i].not_before <= now) due.push_back(i);
    if (due.empty()) {
      changed_.wait_for(lock, 20ms);
      continue;
    }
    auto pick = due[rng_() % due.size()];
    auto item = std::move(queue_[pick]);
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(pick));
    ++in_flight_;
    lock.unlock();
    bool answered = deliver(item.what);
    lock.lock();
    --in_flight_;
    if (answered) {
      ++figures_.delivered;
    } else {
      ++figures_.retries;
      item.not_before =
          std::chrono::steady_clock::now() + 200ms + std::chrono::milliseconds(rng_() % 800);
      queue_.push_back(std::move(item));
    }
    changed_.notify_all();
  }
}

bool delivery_pool::deliver(const notification& n) {
  if (n.telegram_update) {
    emu_.push_update(*n.telegram_update);
    return true;
  }
  try {
    auto r = emulators::http_call(port_, "POST", n.path, n.body, n.headers, 5s);
    return r.status >= 200 && r.status < 300;
  } catch (const std::exception&) {
    return false;  // refused or cut: the provider tries again later
  }
}

bool delivery_pool::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, timeout, [&] { return queue_.empty() && in_flight_ == 0; });
}

delivery_figures delivery_pool::figures() const {
  std::lock_guard guard{mutex_};
  return figures_;
}

}  // namespace vpnbot::chaos
