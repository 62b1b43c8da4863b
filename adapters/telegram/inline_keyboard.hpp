#pragma once

// The inline keyboard attached to a bot message (Bot API InlineKeyboardMarkup),
// trimmed to the three button kinds the bot uses: callback, URL and pay.

#include <optional>
#include <string>
#include <vector>

namespace vpnbot::telegram {

// Telegram rejects callback_data outside 1..64 bytes.
inline constexpr std::size_t max_callback_data_bytes = 64;

struct inline_button {
  enum class action { callback, url, pay };

  std::string text;
  action kind = action::callback;
  std::string value;  // callback_data or URL; empty for pay

  static inline_button callback(std::string text, std::string data) {
    return {std::move(text), action::callback, std::move(data)};
  }
  static inline_button link(std::string text, std::string url) {
    return {std::move(text), action::url, std::move(url)};
  }
  static inline_button pay(std::string text) { return {std::move(text), action::pay, {}}; }

  bool operator==(const inline_button&) const = default;
};

struct inline_keyboard {
  std::vector<std::vector<inline_button>> rows;

  bool operator==(const inline_keyboard&) const = default;
};

// What is wrong with the keyboard, or nullopt when Telegram would accept it.
std::optional<std::string> validate(const inline_keyboard& kb);

// {"inline_keyboard":[[{"callback_data":..,"text":..}|{"text":..,"url":..}|{"pay":true,"text":..}]]},
// written as text: a keyboard is part of nearly every reply.
std::string json_text(const inline_keyboard& kb);

}  // namespace vpnbot::telegram
