#pragma once

// Follows the Bot API emulator's calls for a whole run on one thread, so a
// thousand buyers waiting for their screens do not each copy every call.
// Calls are numbered in arrival order; a buyer waits for the first call to
// its chat from a mark on that matches.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"

namespace vpnbot::chaos {

using call_match = std::function<bool(const emulators::bot_api_call&)>;

// The chat a call was addressed to (chat_id as a number or a string), 0 for none.
int64_t chat_of(const emulators::bot_api_call& call);
// The call's text or caption.
std::string text_of(const emulators::bot_api_call& call);

class telegram_observer {
 public:
  explicit telegram_observer(const emulators::bot_api_emulator& emu);
  ~telegram_observer();
  telegram_observer(const telegram_observer&) = delete;
  telegram_observer& operator=(const telegram_observer&) = delete;

  // How many calls have been seen: a mark to wait from.
  std::size_t mark() const;
  std::optional<emulators::bot_api_call> wait_for(int64_t chat, std::size_t from,
                                                  const call_match& match,
                                                  std::chrono::milliseconds timeout) const;
  // Every answered call to the chat that matches.
  int count(int64_t chat, const call_match& match) const;

 private:
  void follow();

  const emulators::bot_api_emulator& emu_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<emulators::bot_api_call> calls_;
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace vpnbot::chaos
