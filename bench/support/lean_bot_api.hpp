#pragma once

// A lean Bot API emulator for throughput benchmarks. The test emulator
// (adapters/emulators/telegram/bot_api_emulator) parses and keeps every call, which
// caps it below what the bench needs; this one answers with canned JSON and
// keeps only what the bench measures: the chat and arrival time of every
// reply. Same wire shapes: `/bot<token>/<method>` with a JSON body, the
// `{"ok":true,"result":...}` envelope, getUpdates with offsets and long
// polling (batches of up to `limit`, at most 100).
//
// Replies are sendMessage, sendPhoto, sendInvoice, editMessageText and
// editMessageReplyMarkup. Methods the bot uses at start or to acknowledge
// (getMe, deleteWebhook, setWebhook, getWebhookInfo, answerCallbackQuery,
// setMyCommands...) answer ok; unknown ones 404, counted per method.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vpnbot::bench {

struct reply_record {
  int64_t chat_id = 0;
  std::chrono::steady_clock::time_point at;
};

class lean_bot_api {
 public:
  lean_bot_api();
  ~lean_bot_api();
  lean_bot_api(const lean_bot_api&) = delete;
  lean_bot_api& operator=(const lean_bot_api&) = delete;

  // What the service's telegram.api_base and telegram.token should be.
  std::string api_base() const;
  const std::string& token() const;
  uint16_t port() const;

  // Queues a private text message from user_id (its chat is the user's) and
  // wakes a parked long poll.
  void push_text(int64_t user_id, int64_t message_id, std::string_view text);

  std::size_t reply_count() const;
  std::vector<reply_record> replies() const;
  // True once at least `n` replies arrived.
  bool wait_for_replies(std::size_t n, std::chrono::milliseconds timeout) const;
  std::size_t calls(const std::string& method) const;
  // Every method called so far (as the bot spelled it) and how often.
  std::map<std::string, std::size_t> calls_by_method() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vpnbot::bench
