#pragma once

// A keyboard checked against Telegram's limits and written as JSON once, to
// be attached to many messages: the main menu goes with nearly every reply
// and depends only on the language and a few facts about the user.

#include <memory>
#include <string>

#include "adapters/telegram/inline_keyboard.hpp"
#include "adapters/telegram/result.hpp"

namespace vpnbot::telegram {

class rendered_keyboard {
 public:
  // What validate() says is wrong with kb, or the keyboard and its text.
  static result<std::shared_ptr<const rendered_keyboard>, std::string> of(inline_keyboard kb);

  const inline_keyboard& keyboard() const { return keyboard_; }
  const std::string& json() const { return json_; }  // json_text(keyboard())

 private:
  rendered_keyboard(inline_keyboard kb, std::string json)
      : keyboard_(std::move(kb)), json_(std::move(json)) {}

  inline_keyboard keyboard_;
  std::string json_;
};

}  // namespace vpnbot::telegram
