#include "adapters/telegram/inline_keyboard.hpp"

#include "adapters/codec/json_object_writer.hpp"

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

std::string json_text(const inline_keyboard& kb) {
  std::string out = "{\"inline_keyboard\":[";
  for (std::size_t r = 0; r < kb.rows.size(); ++r) {
    out += r == 0 ? "[" : ",[";
    for (std::size_t k = 0; k < kb.rows[r].size(); ++k) {
      const auto& b = kb.rows[r][k];
      codec::json_object_writer button;
      switch (b.kind) {
        case inline_button::action::callback:
          button.string("callback_data", b.value).string("text", b.text);
          break;
        case inline_button::action::url:
          button.string("text", b.text).string("url", b.value);
          break;
        case inline_button::action::pay:
          button.boolean("pay", true).string("text", b.text);
          break;
      }
      if (k > 0) out += ',';
      out += button.finish();
    }
    out += ']';
  }
  out += "]}";
  return out;
}

}  // namespace vpnbot::telegram
