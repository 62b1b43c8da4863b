#include "app/sandbox/chat_view.hpp"

#include <string>

namespace vpnbot::sandbox {

nlohmann::json chat_view(int64_t user_id, const std::vector<emulators::chat_message>& chat) {
  auto out = nlohmann::json::array();
  for (const auto& m : chat) {
    nlohmann::json j{{"message_id", m.message_id}, {"from", m.from_user ? "user" : "bot"}};
    bool captioned = m.method == "sendPhoto" || m.method == "sendInvoice";
    j[captioned ? "caption" : "text"] = m.text;
    if (!m.parse_mode.empty()) j["parse_mode"] = m.parse_mode;
    if (!m.reply_markup.is_null()) j["reply_markup"] = m.reply_markup;
    if (!m.photo.empty())
      j["photo"] = "/sandbox/api/photo?user_id=" + std::to_string(user_id) +
                   "&message_id=" + std::to_string(m.message_id);
    if (!m.invoice.is_null()) j["invoice"] = m.invoice;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace vpnbot::sandbox
