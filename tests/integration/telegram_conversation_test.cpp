// Full conversations through the Bot API emulator with the whole service in
// process and a real PostgreSQL: each test asserts the exact Telegram calls
// the bot made and what changed in the database.

#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>
#include <set>

#include "adapters/db/plans_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t alice = 1001;
constexpr int64_t bob_chat = 1002;

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

  // Once every update is handled and every reply sent: each Bot API method
  // the conversation used (the update source's, getMe and the start's
  // setMyCommands left out) with how often, so a test sees that nothing else
  // was sent.
  std::map<std::string, int> made() {
    EXPECT_TRUE(eventually([&] {
      return bot->query("SELECT count(*) FROM telegram_updates WHERE state = 'received'") == "0" &&
             bot->query(
                 "SELECT count(*) FROM telegram_outbox WHERE state IN ('queued', "
                 "'sending')") == "0";
    }));
    std::map<std::string, int> out;
    for (const auto& c : emu->calls())
      if (c.method != "getUpdates" && c.method != "getMe" && c.method != "deleteWebhook" &&
          c.method != "setMyCommands")
        ++out[c.method];
    return out;
  }

  void sql(const std::string& statement) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec(statement);
    tx.commit();
  }
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
            "🎟 Promo code/❓ Help|🌐 Language");
  EXPECT_EQ(bot->query("SELECT count(*) FROM users WHERE telegram_id = 1001"), "1");
  EXPECT_EQ(bot->query("SELECT state FROM telegram_updates"), "handled");
  EXPECT_EQ(made(), (std::map<std::string, int>{{"sendMessage", 1}}));
}

TEST_F(TelegramConversation, ReferralCodeIsRecordedOnceForANewUser) {
  start();
  emu->push_text(alice, "/start");
  nth("sendMessage", 1);
  auto code = bot->query("SELECT referral_code FROM users WHERE telegram_id = 1001");
  ASSERT_FALSE(code.empty());
  emu->push_text(bob_chat, "/start " + code);
  auto welcome = nth("sendMessage", 2);
  EXPECT_EQ(welcome["chat_id"], bob_chat);
  EXPECT_NE(welcome["text"].get<std::string>().find("A friend invited you"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM referrals r JOIN users a ON a.id = r.referrer_id "
                       "JOIN users b ON b.id = r.referee_id "
                       "WHERE a.telegram_id = 1001 AND b.telegram_id = 1002"),
            "1");
  // Again with the code, and alice with her own code: nothing more is recorded.
  emu->push_text(bob_chat, "/start " + code);
  emu->push_text(alice, "/start " + code);
  auto again = nth("sendMessage", 3);
  nth("sendMessage", 4);
  EXPECT_EQ(again["text"].get<std::string>().find("A friend invited you"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM referrals"), "1");
  EXPECT_EQ(made(), (std::map<std::string, int>{{"sendMessage", 4}}));
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
  // Nor does /start's (its menu reads the facts with the update).
  emu->push_text(alice, "/start");
  EXPECT_EQ(buttons_of(nth("sendMessage", 3)).find("Free trial"), std::string::npos);
  EXPECT_NE(buttons_of(nth("sendMessage", 3)).find("Buy"), std::string::npos);
  EXPECT_EQ(made(), (std::map<std::string, int>{
                        {"sendMessage", 3}, {"editMessageText", 2}, {"answerCallbackQuery", 2}}));
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
            "⭐ Telegram Stars/🪙 Crypto (CryptoBot)/💳 Bank card/💳 Robokassa/"
            "🪙 Crypto (CoinGate)/« Back");
  press(alice, methods, "Telegram Stars");
  auto order = nth("editMessageText", 3);
  EXPECT_NE(order["text"].get<std::string>().find("150 ⭐"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT provider || ':' || amount || ':' || currency || ':' || status "
                       "FROM payments"),
            "stars:150:XTR:pending");
  press(alice, order, "Cancel");
  EXPECT_EQ(nth("editMessageText", 4)["text"], "Payment cancelled.");
  EXPECT_EQ(bot->query("SELECT status FROM payments"), "failed");
  EXPECT_EQ(made(), (std::map<std::string, int>{{"sendMessage", 1},
                                                {"editMessageText", 4},
                                                {"answerCallbackQuery", 4},
                                                {"sendInvoice", 1}}));
  // Stars: the invoice in XTR, one price, no provider token, our payment id as payload.
  auto invoice = emu->calls("sendInvoice")[0].params;
  EXPECT_EQ(invoice["currency"], "XTR");
  EXPECT_EQ(invoice["payload"], bot->query("SELECT id FROM payments"));
  auto prices = invoice["prices"].is_string() ? json::parse(invoice["prices"].get<std::string>())
                                              : invoice["prices"];
  ASSERT_EQ(prices.size(), 1u);
  EXPECT_EQ(prices[0]["amount"], 150);
  EXPECT_TRUE(!invoice.contains("provider_token") || invoice["provider_token"] == "");
  // Every press was answered, each with its own query id.
  std::set<std::string> answered;
  for (const auto& a : emu->calls("answerCallbackQuery"))
    answered.insert(a.params["callback_query_id"].get<std::string>());
  EXPECT_EQ(answered.size(), 4u);
}

TEST_F(TelegramConversation, AnOrderLivesForTheConfiguredPaymentTtl) {
  start([](config::settings& s) { s.bot.payment_ttl = std::chrono::minutes(20); });
  emu->push_text(alice, "/start");
  press(alice, nth("sendMessage", 1), "Buy");
  press(alice, nth("editMessageText", 1), "30 days");
  press(alice, nth("editMessageText", 2), "Telegram Stars");
  nth("editMessageText", 3);
  EXPECT_EQ(bot->query("SELECT expires_at - created_at FROM payments"), "00:20:00");
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
  emu->push_text(bob_chat, "/start");
  auto admin_menu = nth("sendMessage", 1);
  auto user_menu = nth("sendMessage", 2);
  if (admin_menu["chat_id"] != alice) std::swap(admin_menu, user_menu);
  EXPECT_NE(buttons_of(admin_menu).find("🛠 Admin"), std::string::npos);
  EXPECT_EQ(buttons_of(user_menu).find("Admin"), std::string::npos);
  press(alice, admin_menu, "Admin");
  press(alice, nth("editMessageText", 1), "Stats");
  auto stats = nth("editMessageText", 2)["text"].get<std::string>();
  EXPECT_NE(stats.find("Users: 2"), std::string::npos) << stats;
  // Bob forging the admin callback gets the menu, not the admin's.
  emu->push_callback(bob_chat, 9, "m:admin");
  EXPECT_EQ(nth("editMessageText", 3)["text"], "Main menu. What would you like to do?");
}

TEST_F(TelegramConversation, ARussianSpeakingUserIsGreetedInRussian) {
  start();
  emu->push_text(alice, "/start", "ru");
  auto reply = nth("sendMessage", 1);
  EXPECT_EQ(reply["text"].get<std::string>().rfind("Здравствуйте, ", 0), 0u) << reply["text"];
  EXPECT_NE(buttons_of(reply).find("🎁 Пробный период"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT language FROM users WHERE telegram_id = 1001"), "ru");
}

TEST_F(TelegramConversation, OneUsersUpdatesAreAnsweredInTheOrderSent) {
  start();
  std::vector<std::string> sent = {"/help", "hello", "/help", "/frobnicate", "hello", "/help"};
  for (const auto& text : sent) emu->push_text(alice, text);
  ASSERT_TRUE(emu->wait_for_calls("sendMessage", sent.size(), 20s));
  auto replies = emu->calls("sendMessage");
  ASSERT_EQ(replies.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto text = replies[i].params["text"].get<std::string>();
    if (sent[i] == "/help")
      EXPECT_NE(text.find("Write to @vpn_support."), std::string::npos) << i << ": " << text;
    else if (sent[i] == "hello")
      EXPECT_EQ(text, "Main menu. What would you like to do?") << i;
    else
      EXPECT_EQ(text, "I don't know that command. Please use the menu below.") << i;
  }
}

TEST_F(TelegramConversation, InviteFriendsShowsTheLinkTheFriendsAndTheBonus) {
  start();
  emu->push_text(alice, "/start");
  auto menu = nth("sendMessage", 1);
  auto code = bot->query("SELECT referral_code FROM users WHERE telegram_id = 1001");
  emu->push_text(bob_chat, "/start " + code);
  nth("sendMessage", 2);
  sql("INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) SELECT id, 5000, "
      "balance_currency, 'referral_bonus', 'test-bonus' FROM users WHERE telegram_id = 1001");
  press(alice, menu, "Invite friends");
  auto invite = nth("editMessageText", 1)["text"].get<std::string>();
  EXPECT_NE(invite.find("https://t.me/vpnbot_test_bot?start=" + code), std::string::npos) << invite;
  EXPECT_NE(invite.find("Friends invited: 1"), std::string::npos) << invite;
  EXPECT_NE(invite.find("Bonus earned: 50 ₽"), std::string::npos) << invite;
}

TEST_F(TelegramConversation, BalanceShowsTheAmountTheLedgerAndTopUpAmounts) {
  start();
  emu->push_text(alice, "/start");
  auto menu = nth("sendMessage", 1);
  press(alice, menu, "Balance");
  auto empty = nth("editMessageText", 1);
  EXPECT_NE(empty["text"].get<std::string>().find("No operations yet."), std::string::npos);
  sql("INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) SELECT id, 30000, "
      "balance_currency, 'topup', 'test-topup' FROM users WHERE telegram_id = 1001");
  sql("INSERT INTO balance_ledger (user_id, delta, currency, reason, ref) SELECT id, 5000, "
      "balance_currency, 'referral_bonus', 'test-bonus' FROM users WHERE telegram_id = 1001");
  press(alice, menu, "Balance");
  auto balance = nth("editMessageText", 2);
  auto text = balance["text"].get<std::string>();
  EXPECT_NE(text.find("Your balance: <b>350 ₽</b>"), std::string::npos) << text;
  EXPECT_NE(text.find("+300 ₽  top-up"), std::string::npos) << text;
  EXPECT_NE(text.find("+50 ₽  bonus for an invited friend"), std::string::npos) << text;
  // The newest first.
  EXPECT_LT(text.find("bonus for an invited friend"), text.find("top-up")) << text;
  press(alice, balance, "Top up");
  auto amounts = nth("editMessageText", 3);
  EXPECT_EQ(amounts["text"], "How much would you like to add to your balance?");
  EXPECT_NE(buttons_of(amounts).find("100 ₽"), std::string::npos) << buttons_of(amounts);
  EXPECT_NE(buttons_of(amounts).find("1000 ₽"), std::string::npos) << buttons_of(amounts);
}

TEST_F(TelegramConversation, APaidSubscriptionsAutoRenewIsToggledAndRemembered) {
  start();
  emu->push_text(alice, "/start");
  auto menu = nth("sendMessage", 1);
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto user = db::find_user_by_telegram_id(tx, alice);
    ASSERT_TRUE(user);
    ASSERT_TRUE(subscriptions::provision(tx, user->id, *db::find_plan(tx, "m1"), "paid", "t-1"));
    tx.commit();
  }
  press(alice, menu, "My subscriptions");
  auto list = nth("editMessageText", 1);
  press(alice, list, "30 days");
  auto details = nth("editMessageText", 2);
  EXPECT_NE(buttons_of(details).find("🔁 Auto-renew: off"), std::string::npos);
  press(alice, details, "Auto-renew");
  auto on = nth("editMessageText", 3);
  EXPECT_NE(buttons_of(on).find("🔁 Auto-renew: on"), std::string::npos) << buttons_of(on);
  EXPECT_NE(on["text"].get<std::string>().find("Auto-renew: on"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT auto_renew FROM subscriptions"), "t");
  press(alice, on, "Auto-renew");
  auto off = nth("editMessageText", 4);
  EXPECT_NE(buttons_of(off).find("🔁 Auto-renew: off"), std::string::npos) << buttons_of(off);
  EXPECT_EQ(bot->query("SELECT auto_renew FROM subscriptions"), "f");
}

}  // namespace
}  // namespace vpnbot::testing_support
