#include "adapters/emulators/reply_delayer.hpp"

#include <algorithm>

namespace vpnbot::emulators {

reply_delayer::reply_delayer() : thread_([this] { run(); }) {}

reply_delayer::~reply_delayer() {
  stop();
}

void reply_delayer::hold(std::chrono::milliseconds delay, reply_fn reply, http_response response) {
  {
    std::lock_guard guard{mutex_};
    if (!stopping_) {
      held_.push_back({clock_type::now() + delay, std::move(reply), std::move(response)});
      wake_.notify_all();
      return;
    }
  }
  reply(std::move(response));
}

void reply_delayer::stop() {
  std::vector<held> rest;
  {
    std::lock_guard guard{mutex_};
    stopping_ = true;
    rest = std::move(held_);
    held_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& h : rest) h.reply(std::move(h.response));
}

void reply_delayer::run() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    if (held_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = std::min_element(held_.begin(), held_.end(),
                                  [](const held& a, const held& b) { return a.due < b.due; });
    if (clock_type::now() < first->due) {
      wake_.wait_until(lock, first->due);
      continue;
    }
    held h = std::move(*first);
    held_.erase(first);
    lock.unlock();
    h.reply(std::move(h.response));
    lock.lock();
  }
}

}  // namespace vpnbot::emulators
