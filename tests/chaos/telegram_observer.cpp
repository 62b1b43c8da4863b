#include "chaos/telegram_observer.hpp"

namespace vpnbot::chaos {

using emulators::bot_api_call;

int64_t chat_of(const bot_api_call& call) {
  const auto& id = call.params.contains("chat_id") ? call.params["chat_id"] : nlohmann::json();
  if (id.is_number_integer()) return id.get<int64_t>();
  if (id.is_string()) return std::stoll(id.get<std::string>());
  return 0;
}

std::string text_of(const bot_api_call& call) {
  if (call.params.contains("text") && call.params["text"].is_string())
    return call.params["text"].get<std::string>();
  if (call.params.contains("caption") && call.params["caption"].is_string())
    return call.params["caption"].get<std::string>();
  return {};
}

telegram_observer::telegram_observer(const emulators::bot_api_emulator& emu)
    : emu_(emu), follower_([this] { follow(); }) {}

telegram_observer::~telegram_observer() {
  {
    std::lock_guard guard{mutex_};
    stopping_ = true;
  }
  changed_.notify_all();
  follower_.join();
}

void telegram_observer::follow() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    auto seen = calls_.size();
    lock.unlock();
    auto fresh = emu_.calls_from(seen);
    lock.lock();
    if (!fresh.empty()) {
      calls_.insert(calls_.end(), fresh.begin(), fresh.end());
      changed_.notify_all();
    }
    changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stopping_; });
  }
}

std::size_t telegram_observer::mark() const {
  std::lock_guard guard{mutex_};
  return calls_.size();
}

std::optional<bot_api_call> telegram_observer::wait_for(int64_t chat, std::size_t from,
                                                        const call_match& match,
                                                        std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock{mutex_};
  for (auto next = from;;) {
    for (; next < calls_.size(); ++next)
      if (calls_[next].status == 200 && chat_of(calls_[next]) == chat && match(calls_[next]))
        return calls_[next];
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && next == calls_.size())
      return std::nullopt;
  }
}

int telegram_observer::count(int64_t chat, const call_match& match) const {
  std::lock_guard guard{mutex_};
  int n = 0;
  for (const auto& c : calls_)
    if (c.status == 200 && chat_of(c) == chat && match(c)) ++n;
  return n;
}

}  // namespace vpnbot::chaos
