// GET /sandbox/api/chat's shape: the Bot API's names for what a user sees.

#include <gtest/gtest.h>

#include "app/sandbox/chat_view.hpp"

namespace vpnbot::sandbox {
namespace {

using json = nlohmann::json;

emulators::chat_message message(int64_t id, std::string method, std::string text) {
  emulators::chat_message m;
  m.message_id = id;
  m.method = std::move(method);
  m.text = std::move(text);
  return m;
}

TEST(SandboxChatView, TextsPhotosAndInvoicesInTheBotApisShape) {
  auto user = message(1, "", "/start");
  user.from_user = true;
  auto menu = message(2, "sendMessage", "<b>Hi</b>");
  menu.parse_mode = "HTML";
  menu.reply_markup = {{"inline_keyboard", {{{{"text", "Buy"}, {"callback_data", "m:buy"}}}}}};
  auto qr = message(3, "sendPhoto", "scan me");
  qr.photo = "\x89PNG";
  auto invoice = message(4, "sendInvoice", "30 days");
  invoice.invoice = {{"title", "VPN"}, {"currency", "XTR"}};

  auto view = chat_view(7, {user, menu, qr, invoice});
  ASSERT_EQ(view.size(), 4u);
  EXPECT_EQ(view[0], (json{{"message_id", 1}, {"from", "user"}, {"text", "/start"}}));
  EXPECT_EQ(view[1]["from"], "bot");
  EXPECT_EQ(view[1]["text"], "<b>Hi</b>");
  EXPECT_EQ(view[1]["parse_mode"], "HTML");
  EXPECT_EQ(view[1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "m:buy");
  EXPECT_FALSE(view[2].contains("text"));
  EXPECT_EQ(view[2]["caption"], "scan me");
  EXPECT_EQ(view[2]["photo"], "/sandbox/api/photo?user_id=7&message_id=3");
  EXPECT_FALSE(view[2].contains("reply_markup"));
  EXPECT_EQ(view[3]["caption"], "30 days");
  EXPECT_EQ(view[3]["invoice"]["title"], "VPN");
  EXPECT_FALSE(view[3].contains("photo"));
}

TEST(SandboxChatView, AnEmptyChatIsAnEmptyArray) {
  EXPECT_EQ(chat_view(1, {}), json::array());
}

}  // namespace
}  // namespace vpnbot::sandbox
