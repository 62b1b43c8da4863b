#include "adapters/telegram/inline_keyboard.hpp"

namespace vpnbot::telegram {

std::optional<std::string> validate(const inline_keyboard& kb) {
  for (std::size_t r = 0; r < kb.rows.size(); ++r) {
    if (kb.rows[r].empty()) return "row " + std::to_string(r) + " is empty";
    for (const auto& b : kb.rows[r]) {
      if (b.text.empty()) return "a button in row " + std::to_string(r) + " has no text";
      switch (b.kind) {
        case inline_button::action::callback:
          if (b.value.empty() || b.value.size() > max_callback_data_bytes)
            return "callback_data of \"" + b.text + "\" must be 1-64 bytes, is " +
                   std::to_string(b.value.size());
          break;
        case inline_button::action::url:
          if (b.value.empty()) return "button \"" + b.text + "\" has an empty URL";
          break;
        case inline_button::action::pay:
          break;
      }
    }
  }
  return std::nullopt;
}

nlohmann::json to_json(const inline_keyboard& kb) {
  auto rows = nlohmann::json::array();
  for (const auto& row : kb.rows) {
    auto out = nlohmann::json::array();
    for (const auto& b : row) {
      nlohmann::json button = {{"text", b.text}};
      switch (b.kind) {
        case inline_button::action::callback:
          button["callback_data"] = b.value;
          break;
        case inline_button::action::url:
          button["url"] = b.value;
          break;
        case inline_button::action::pay:
          button["pay"] = true;
          break;
      }
      out.push_back(std::move(button));
    }
    rows.push_back(std::move(out));
  }
  return {{"inline_keyboard", std::move(rows)}};
}

}  // namespace vpnbot::telegram
