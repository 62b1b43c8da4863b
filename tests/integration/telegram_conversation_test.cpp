// Full conversations through the Bot API emulator with the whole service in
// process and a real PostgreSQL: each test asserts the exact Telegram calls
// the bot made and what changed in the database.

#include <gtest/gtest.h>

#include "support/bot_harness.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t alice = 1001;
constexpr int64_t bob = 1002;

struct TelegramConversation : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<bot_harness> bot;

  void start(const std::function<void(config::settings&)>& tweak = {}) {
    emu = std::make_unique<bot_api_emulator>();
    auto s = bot_test_settings(url, *emu);
    if (tweak) tweak(s);
    bot = std::make_unique<bot_harness>(s);
  }

  void TearDown() override {
    bot.reset();
    emu.reset();
    fresh_database::TearDown();
  }

  // The n-th (1-based) call of a method, once it has arrived.
  json nth(const std::string& method, std::size_t n) {
    EXPECT_TRUE(emu->wait_for_calls(method, n, 10s)) << "no call " << n << " of " << method;
    auto calls = emu->calls(method);
    return calls.size() >= n ? calls[n - 1].params : json::object();
  }

  // Presses a button of a message the bot sent or edited.
  void press(int64_t user, const json& message_params, const std::string& label,
             int64_t message_id = 77) {
    auto data = callback_of(message_params, label);
    ASSERT_FALSE(data.empty()) << "no button \"" << label << "\" in " << buttons_of(message_params);
    emu->push_callback(user, message_id, data);
  }

  std::size_t count(const std::string& method) { return emu->calls(method).size(); }
};

TEST_F(TelegramConversation, StartGreetsAndShowsTheMainMenu) {
  start();
  emu->push_text(alice, "/start");
  auto reply = nth("sendMessage", 1);
  EXPECT_EQ(reply["chat_id"], alice);
  EXPECT_NE(reply["text"].get<std::string>().find("Hi, "), std::string::npos);
  EXPECT_EQ(reply["parse_mode"], "HTML");
  EXPECT_EQ(buttons_of(reply),
            "🎁 Free trial|💳 Buy/🔑 My subscriptions/👥 Invite friends|💰 Balance/"
            "❓ Help|🌐 Language");
  EXPECT_EQ(bot->query("SELECT count(*) FROM users WHERE telegram_id = 1001"), "1");
  EXPECT_EQ(bot->query("SELECT state FROM telegram_updates"), "handled");
}

TEST_F(TelegramConversation, ReferralCodeIsRecordedOnceForANewUser) {
  start();
  emu->push_text(alice, "/start");
  nth("sendMessage", 1);
  auto code = bot->query("SELECT referral_code FROM users WHERE telegram_id = 1001");
  ASSERT_FALSE(code.empty());
  emu->push_text(bob, "/start " + code);
  auto welcome = nth("sendMessage", 2);
  EXPECT_EQ(welcome["chat_id"], bob);
  EXPECT_NE(welcome["text"].get<std::string>().find("A friend invited you"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM referrals r JOIN users a ON a.id = r.referrer_id "
                       "JOIN users b ON b.id = r.referee_id "
                       "WHERE a.telegram_id = 1001 AND b.telegram_id = 1002"),
            "1");
  // Again with the code, and alice with her own code: nothing more is recorded.
  emu->push_text(bob, "/start " + code);
  emu->push_text(alice, "/start " + code);
  auto again = nth("sendMessage", 3);
  nth("sendMessage", 4);
  EXPECT_EQ(again["text"].get<std::string>().find("A friend invited you"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM referrals"), "1");
}

TEST_F(TelegramConversation, LanguageSwitchEditsTheMenuInPlaceAndIsRemembered) {
  start();
  emu->push_text(alice, "/start");
  press(alice, nth("sendMessage", 1), "Language");
  auto chooser = nth("editMessageText", 1);
  EXPECT_EQ(chooser["message_id"], 77);
  EXPECT_EQ(chooser["text"], "Choose your language:");
  EXPECT_EQ(buttons_of(chooser), "🇬🇧 English|🇷🇺 Русский/« Back");
  press(alice, chooser, "Русский");
  auto menu = nth("editMessageText", 2);
  EXPECT_EQ(menu["text"], "Готово, теперь я говорю по-русски.");
  EXPECT_NE(buttons_of(menu).find("🎁 Пробный период"), std::string::npos);
  EXPECT_TRUE(emu->wait_for_calls("answerCallbackQuery", 2, 10s));
  EXPECT_EQ(bot->query("SELECT language FROM users WHERE telegram_id = 1001"), "ru");
  // A later message is answered in Russian.
  emu->push_text(alice, "hello");
  EXPECT_EQ(nth("sendMessage", 2)["text"], "Главное меню. Что вы хотите сделать?");
}

TEST_F(TelegramConversation, TrialIsGrantedOnceAndQueuedForThePanel) {
  start();
  emu->push_text(alice, "/start");
  auto menu = nth("sendMessage", 1);
  press(alice, menu, "Free trial");
  auto granted = nth("editMessageText", 1);
  EXPECT_EQ(granted["text"],
            "⏳ Setting up your free trial for 3 days. The key will arrive in a moment.");
  EXPECT_EQ(bot->query("SELECT count(*) FROM subscriptions WHERE kind = 'trial'"), "1");
  EXPECT_EQ(bot->query("SELECT client_email ~ '^tg[0-9]+-[0-9]+$' FROM subscriptions"), "t");
  EXPECT_EQ(bot->query("SELECT kind || ':' || state FROM jobs"), "create_client:queued");
  // The old menu's trial button again: refused, nothing new.
  press(alice, menu, "Free trial");
  EXPECT_EQ(nth("editMessageText", 2)["text"],
            "You have already used your free trial. Choose a plan to keep using the VPN.");
  EXPECT_EQ(bot->query("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(bot->query("SELECT count(*) FROM jobs"), "1");
  // A fresh menu no longer offers it.
  emu->push_text(alice, "/menu");
  EXPECT_EQ(buttons_of(nth("sendMessage", 2)).find("Free trial"), std::string::npos);
}

TEST_F(TelegramConversation, BuyLeadsFromPlansToMethodsToAPendingOrderThatCanBeCancelled) {
  start();
  emu->push_text(alice, "/start");
  press(alice, nth("sendMessage", 1), "Buy");
  auto plans = nth("editMessageText", 1);
  EXPECT_EQ(plans["text"], "Choose a plan:");
  EXPECT_EQ(buttons_of(plans),
            "30 days · 199 ₽/90 days · 499 ₽/365 days · 1499 ₽/« Back");
  press(alice, plans, "30 days");
  auto methods = nth("editMessageText", 2);
  EXPECT_EQ(methods["text"],
            "<b>30 days</b>\nPeriod: 30 days\nPrice: 199 ₽\n\nHow would you like to pay?");
  EXPECT_EQ(buttons_of(methods),
            "⭐ Telegram Stars/🪙 Crypto (CryptoBot)/💳 Bank card/💳 Robokassa/« Back");
  press(alice, methods, "Telegram Stars");
  auto order = nth("editMessageText", 3);
  EXPECT_NE(order["text"].get<std::string>().find("150 ⭐"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT provider || ':' || amount || ':' || currency || ':' || status "
                       "FROM payments"),
            "stars:150:XTR:pending");
  press(alice, order, "Cancel");
  EXPECT_EQ(nth("editMessageText", 4)["text"], "Payment cancelled.");
  EXPECT_EQ(bot->query("SELECT status FROM payments"), "failed");
  EXPECT_EQ(count("answerCallbackQuery"), 4u);
}

TEST_F(TelegramConversation, MySubscriptionsShowsStatusExpiryAndTheirButtons) {
  start();
  emu->push_text(alice, "/start");
  auto menu = nth("sendMessage", 1);
  press(alice, menu, "My subscriptions");
  EXPECT_EQ(nth("editMessageText", 1)["text"],
            "You have no subscriptions yet. Try the free trial or choose a plan.");
  press(alice, menu, "Free trial");
  nth("editMessageText", 2);
  press(alice, menu, "My subscriptions");
  auto list = nth("editMessageText", 3);
  EXPECT_EQ(list["text"], "Your subscriptions:");
  auto expires = bot->query(
      "SELECT to_char(expires_at AT TIME ZONE 'UTC', 'Mon FMDD, YYYY') "
      "FROM subscriptions");
  EXPECT_EQ(buttons_of(list), "3 days · until " + expires + "/« Back");
  press(alice, list, "3 days");
  auto details = nth("editMessageText", 4);
  auto text = details["text"].get<std::string>();
  EXPECT_NE(text.find("Status: being activated ⏳"), std::string::npos) << text;
  EXPECT_NE(text.find("Valid until: " + expires), std::string::npos) << text;
  EXPECT_EQ(buttons_of(details), "📷 QR code|🔁 Auto-renew: off/➕ Extend/« Back");
  // A trial cannot renew itself: the toast says so and nothing changes.
  press(alice, details, "Auto-renew");
  EXPECT_TRUE(emu->wait_for_calls("answerCallbackQuery", 5, 10s));
  EXPECT_EQ(emu->calls("answerCallbackQuery")[4].params["text"],
            "A free trial cannot renew itself. Choose a plan instead.");
  EXPECT_EQ(bot->query("SELECT auto_renew FROM subscriptions"), "f");
}

TEST_F(TelegramConversation, HelpNamesTheSupportContact) {
  start();
  emu->push_text(alice, "/help");
  auto help = nth("sendMessage", 1);
  EXPECT_NE(help["text"].get<std::string>().find("Write to @vpn_support."), std::string::npos);
  auto markup = help["reply_markup"].is_string()
                    ? json::parse(help["reply_markup"].get<std::string>())
                    : help["reply_markup"];
  EXPECT_EQ(markup["inline_keyboard"][0][0]["url"], "https://t.me/vpn_support");
}

TEST_F(TelegramConversation, UnknownTextAndStaleButtonsLeadBackToTheMenu) {
  start();
  emu->push_text(alice, "what is this");
  EXPECT_EQ(nth("sendMessage", 1)["text"], "Main menu. What would you like to do?");
  emu->push_text(alice, "/frobnicate");
  EXPECT_EQ(nth("sendMessage", 2)["text"], "I don't know that command. Please use the menu below.");
  emu->push_callback(alice, 5, "zz:old-button");
  auto edit = nth("editMessageText", 1);
  EXPECT_EQ(edit["text"], "Main menu. What would you like to do?");
  EXPECT_EQ(nth("answerCallbackQuery", 1)["text"],
            "This button is out of date. Here is the current menu.");
}

TEST_F(TelegramConversation, AdminsSeeTheAdminButtonOthersDoNot) {
  start([](config::settings& s) { s.bot.admin_ids = {alice}; });
  emu->push_text(alice, "/start");
  emu->push_text(bob, "/start");
  auto admin_menu = nth("sendMessage", 1);
  auto user_menu = nth("sendMessage", 2);
  if (admin_menu["chat_id"] != alice) std::swap(admin_menu, user_menu);
  EXPECT_NE(buttons_of(admin_menu).find("🛠 Admin"), std::string::npos);
  EXPECT_EQ(buttons_of(user_menu).find("Admin"), std::string::npos);
  press(alice, admin_menu, "Admin");
  auto summary = nth("editMessageText", 1)["text"].get<std::string>();
  EXPECT_NE(summary.find("Users: 2"), std::string::npos) << summary;
  // Bob forging the admin callback gets the menu, not the summary.
  emu->push_callback(bob, 9, "m:admin");
  EXPECT_EQ(nth("editMessageText", 2)["text"], "Main menu. What would you like to do?");
}

}  // namespace
}  // namespace vpnbot::testing_support
