#include "adapters/telegram/in_doubt_policy.hpp"

#include <array>

namespace vpnbot::telegram {

bool resend_after_crash(std::string_view method, lane l) {
  static constexpr std::array<std::string_view, 8> idempotent{
      "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "answerPreCheckoutQuery",
      "setWebhook",      "deleteWebhook",          "refundStarPayment",   "setMyCommands"};
  for (auto m : idempotent)
    if (method == m) return true;
  auto answers_the_user = l == lane::transactional || l == lane::interactive;
  return answers_the_user && (method == "sendMessage" || method == "sendPhoto");
}

}  // namespace vpnbot::telegram
