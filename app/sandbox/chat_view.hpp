#pragma once

// GET /sandbox/api/chat's answer: a user's chat as the user sees it now, in
// the Bot API's shapes. Each message has `message_id`, `from` ("user" or
// "bot"), `text` (or `caption` under a photo or an invoice), `parse_mode`
// when the bot set one, `reply_markup` as the bot sent it (`inline_keyboard`
// rows of buttons with `text` and `callback_data` or `url`), a photo's
// `photo` URL (GET /sandbox/api/photo) and an invoice's `invoice`.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"

namespace vpnbot::sandbox {

nlohmann::json chat_view(int64_t user_id, const std::vector<emulators::chat_message>& chat);

}  // namespace vpnbot::sandbox
