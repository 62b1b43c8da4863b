#pragma once

// An emulator of the Telegram Bot API (PROTOCOLS.md §2) on loopback, for
// tests and the sandbox (docs/SANDBOX.md): `/bot<token>/<method>` with
// parameters from the query, a JSON, form-urlencoded or multipart body;
// answers `{"ok":true,"result":...}` or the error envelope with HTTP
// status = error_code. It queues updates for getUpdates (offsets confirm,
// long polling, 409 for a second poller or an active webhook), posts them
// to a webhook with or without the secret header, records every call with
// its parameters and arrival time, and injects failures: 429 with
// retry_after, 403 blocked, 5xx, slow answers. It keeps each private chat
// as its user sees it: the user's texts and the bot's messages after every
// edit, photos with their bytes.

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vpnbot::emulators {

struct bot_api_call {
  std::string method;
  nlohmann::json params;  // form and multipart values are strings; files are {filename, size}
  std::chrono::steady_clock::time_point at;
  int status = 200;  // what the emulator answered
  // The message a successful send made or an edit changed (0 otherwise), to
  // press its buttons as a user would.
  int64_t message_id = 0;
};

// A message of a private chat as its user sees it now.
struct chat_message {
  int64_t message_id = 0;
  bool from_user = false;  // the user's own text (push_text)
  std::string method;      // what made it: sendMessage, sendPhoto, sendInvoice; empty: the user
  std::string text;        // the text, or a photo's or invoice's caption
  std::string parse_mode;
  nlohmann::json reply_markup;  // null: none
  std::string photo;            // sendPhoto's uploaded file, its bytes
  nlohmann::json invoice;       // sendInvoice's title, description, currency, prices
};

struct bot_api_emulator_options {
  std::string token = "123456:TEST-emulator-token";
  int64_t bot_id = 123456;
  std::string bot_username = "vpnbot_test_bot";
};

class bot_api_emulator {
 public:
  explicit bot_api_emulator(bot_api_emulator_options o = {});
  ~bot_api_emulator();
  bot_api_emulator(const bot_api_emulator&) = delete;
  bot_api_emulator& operator=(const bot_api_emulator&) = delete;

  // What the service's telegram.api_base should be.
  std::string api_base() const;
  const std::string& token() const;
  uint16_t port() const;

  // How a user's updates name them from now on (first name, @username,
  // language); unnamed users are "User <id>" without a username.
  void name_user(int64_t user_id, std::string first_name, std::string username,
                 std::string language_code);

  // Queues an update (its update_id is assigned here) and wakes a long poll.
  int64_t push_update(nlohmann::json update);
  // The user's text goes into the chat too, with the next message id. A
  // named user's own language wins over `language_code`.
  int64_t push_text(int64_t user_id, const std::string& text,
                    const std::string& language_code = "en");
  int64_t push_callback(int64_t user_id, int64_t message_id, const std::string& data);

  // The chat with a user, oldest message first.
  std::vector<chat_message> chat(int64_t chat_id) const;

  // Every call so far, or those of one method, in arrival order.
  std::vector<bot_api_call> calls(const std::string& method = {}) const;
  // The calls from arrival index `first` on: a follower of a long run copies
  // only what is new.
  std::vector<bot_api_call> calls_from(std::size_t first) const;
  bool wait_for_calls(const std::string& method, std::size_t count,
                      std::chrono::milliseconds timeout) const;

  // The next `times` calls of `method` (empty: any) fail with this error.
  void fail_next(const std::string& method, int error_code, const std::string& description,
                 std::optional<int> retry_after = std::nullopt, int times = 1);
  // Every send to this chat fails with 403 "bot was blocked by the user".
  void block_chat(int64_t chat_id);
  // The next `times` calls answer only after `delay`.
  void delay_next(std::chrono::milliseconds delay, int times = 1);

  // A text message update as Telegram posts it to a webhook: the update
  // and message id `id`, from and to the private chat of `user_id`.
  static nlohmann::json text_update(int64_t id, int64_t user_id, const std::string& text);
  // POSTs the update to a local webhook (as Telegram does: JSON body, the
  // secret header when given); returns the HTTP status the webhook answered.
  static int post_to_webhook(uint16_t port, const std::string& path, const nlohmann::json& update,
                             const std::optional<std::string>& secret_token);

  struct state;

 private:
  std::unique_ptr<state> state_;
};

}  // namespace vpnbot::emulators
