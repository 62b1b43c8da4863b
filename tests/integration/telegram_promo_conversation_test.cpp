// Promo codes, top-up methods and the command menu in the conversation:
// the whole service in process against the Bot API emulator and a real
// PostgreSQL; each test asserts what the user saw and what the database
// holds.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t alice = 2001;

struct TelegramPromoConversation : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<bot_harness> bot;

  void start() {
    emu = std::make_unique<bot_api_emulator>();
    bot = std::make_unique<bot_harness>(bot_test_settings(url, *emu));
    bot->query(
        "INSERT INTO promo_codes (code, kind, amount, currency, uses_limit, valid_until) VALUES"
        " ('GIFT', 'balance_credit', 25000, 'RUB', NULL, NULL),"
        " ('SALE20', 'percent_off', 20, NULL, NULL, NULL),"
        " ('OLD', 'days', 7, NULL, NULL, now() - interval '1 day'),"
        " ('GONE', 'days', 7, NULL, 1, NULL)");
    bot->query("UPDATE promo_codes SET uses = 1 WHERE code = 'GONE'");
  }

  void TearDown() override {
    bot.reset();
    emu.reset();
    fresh_database::TearDown();
  }

  json nth(const std::string& method, std::size_t n) {
    EXPECT_TRUE(emu->wait_for_calls(method, n, 10s)) << "no call " << n << " of " << method;
    auto calls = emu->calls(method);
    return calls.size() >= n ? calls[n - 1].params : json::object();
  }

  std::string text_of(const std::string& method, std::size_t n) {
    return nth(method, n).value("text", "");
  }

  void press(const json& message_params, const std::string& label) {
    auto data = callback_of(message_params, label);
    ASSERT_FALSE(data.empty()) << "no button \"" << label << "\" in " << buttons_of(message_params);
    emu->push_callback(alice, 77, data);
  }

  std::string balance() { return bot->query("SELECT balance FROM users"); }
};

TEST_F(TelegramPromoConversation, TheMenuAsksForACodeAndAppliesIt) {
  start();
  emu->push_text(alice, "/start");
  press(nth("sendMessage", 1), "Promo code");
  auto prompt = nth("editMessageText", 1);
  EXPECT_EQ(prompt["text"], "🎟 Send me your promo code in a message.");
  EXPECT_EQ(buttons_of(prompt), "✖️ Cancel");
  EXPECT_EQ(bot->query("SELECT data->>'awaiting' FROM sessions"), "promo_code");
  emu->push_text(alice, "NOSUCH");
  auto unknown = nth("sendMessage", 2);
  EXPECT_NE(unknown["text"].get<std::string>().find("There is no such promo code"),
            std::string::npos);
  EXPECT_EQ(buttons_of(unknown), "✖️ Cancel");
  emu->push_text(alice, "  gift ");
  auto applied = text_of("sendMessage", 3);
  EXPECT_NE(applied.find("Promo code applied: 250 ₽ added to your balance. Balance: 250 ₽."),
            std::string::npos)
      << applied;
  EXPECT_EQ(balance(), "25000");
  EXPECT_EQ(bot->query("SELECT coalesce(data->>'awaiting', 'none') FROM sessions"), "none");
  // The prompt is gone: the same text again only opens the menu.
  emu->push_text(alice, "GIFT");
  EXPECT_EQ(text_of("sendMessage", 4).find("Promo code"), std::string::npos);
  EXPECT_EQ(balance(), "25000");
  EXPECT_EQ(bot->query("SELECT uses FROM promo_codes WHERE code = 'GIFT'"), "1");
}

TEST_F(TelegramPromoConversation, CancelAndCommandsLeaveThePrompt) {
  start();
  emu->push_text(alice, "/start");
  press(nth("sendMessage", 1), "Promo code");
  press(nth("editMessageText", 1), "Cancel");
  EXPECT_EQ(text_of("editMessageText", 2), "Main menu. What would you like to do?");
  emu->push_text(alice, "GIFT");
  nth("sendMessage", 2);
  EXPECT_EQ(balance(), "0");
  press(nth("sendMessage", 2), "Promo code");
  nth("editMessageText", 3);
  emu->push_text(alice, "/help");
  nth("sendMessage", 3);
  emu->push_text(alice, "GIFT");
  nth("sendMessage", 4);
  EXPECT_EQ(balance(), "0");
  EXPECT_EQ(bot->query("SELECT count(*) FROM promo_redemptions"), "0");
}

TEST_F(TelegramPromoConversation, StartDeepLinkAppliesAPromoCode) {
  start();
  emu->push_text(alice, "/start promo_GIFT");
  auto first = text_of("sendMessage", 1);
  EXPECT_NE(first.find("Hi, "), std::string::npos) << first;
  EXPECT_NE(first.find("250 ₽ added to your balance"), std::string::npos) << first;
  EXPECT_EQ(balance(), "25000");
  emu->push_text(alice, "/start promo_GIFT");
  EXPECT_NE(text_of("sendMessage", 2).find("You have already used this promo code."),
            std::string::npos);
  emu->push_text(alice, "/start promo_NOPE");
  EXPECT_NE(text_of("sendMessage", 3).find("There is no such promo code"), std::string::npos);
  // Without the prefix: not a referral code, so a promo code, told about
  // because it exists.
  emu->push_text(alice, "/start OLD");
  EXPECT_NE(text_of("sendMessage", 4).find("no longer valid"), std::string::npos);
  // Without the prefix and no such code either: only the greeting.
  emu->push_text(alice, "/start whatever");
  auto plain = text_of("sendMessage", 5);
  EXPECT_EQ(plain.find("promo code"), std::string::npos) << plain;
  EXPECT_EQ(balance(), "25000");
}

TEST_F(TelegramPromoConversation, UsedUpAndExpiredCodesAreRefusedPolitely) {
  start();
  emu->push_text(alice, "/start promo_GONE");
  EXPECT_NE(text_of("sendMessage", 1).find("this promo code has been used up"), std::string::npos);
  emu->push_text(alice, "/start promo_OLD");
  EXPECT_NE(text_of("sendMessage", 2).find("this promo code is no longer valid"),
            std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM subscriptions"), "0");
}

TEST_F(TelegramPromoConversation, ADiscountShowsInTheOrderAndTheInvoice) {
  start();
  emu->push_text(alice, "/start promo_SALE20");
  EXPECT_NE(text_of("sendMessage", 1).find("20% off your next order"), std::string::npos);
  press(nth("sendMessage", 1), "Buy");
  press(nth("editMessageText", 1), "30 days");
  press(nth("editMessageText", 2), "Bank card");
  auto order = text_of("editMessageText", 3);
  EXPECT_NE(order.find("<s>199 ₽</s> 159.20 ₽ (promo code −39.80 ₽)"), std::string::npos)
      << order;
  EXPECT_EQ(bot->query("SELECT provider || ':' || amount || ':' || list_amount FROM payments"),
            "yookassa:15920:19900");
  // Stars instead: the order above is cancelled, the new one takes the discount.
  press(nth("editMessageText", 2), "Telegram Stars");
  auto stars = text_of("editMessageText", 4);
  EXPECT_NE(stars.find("<s>150 ⭐</s> 120 ⭐ (promo code −30 ⭐)"), std::string::npos) << stars;
  auto invoice = nth("sendInvoice", 1);
  auto prices = invoice["prices"].is_string() ? json::parse(invoice["prices"].get<std::string>())
                                              : invoice["prices"];
  EXPECT_EQ(prices[0]["amount"], 120);
  EXPECT_EQ(bot->query("SELECT string_agg(provider || ':' || status, ',' ORDER BY created_at)"
                       " FROM payments"),
            "yookassa:failed,stars:pending");
}

TEST_F(TelegramPromoConversation, TopUpLetsTheUserChooseTheMethod) {
  start();
  emu->push_text(alice, "/start");
  press(nth("sendMessage", 1), "Balance");
  press(nth("editMessageText", 1), "Top up");
  press(nth("editMessageText", 2), "100 ₽");
  auto methods = nth("editMessageText", 3);
  EXPECT_EQ(methods["text"], "How would you like to pay 100 ₽?");
  EXPECT_EQ(buttons_of(methods),
            "🪙 Crypto (CryptoBot)/💳 Bank card/💳 Robokassa/🪙 Crypto (CoinGate)/« Back");
  press(methods, "CoinGate");
  nth("editMessageText", 4);
  EXPECT_EQ(bot->query("SELECT purpose || ':' || provider || ':' || amount FROM payments"),
            "topup:coingate:10000");
}

TEST_F(TelegramPromoConversation, TheCommandMenuIsSetAtStartForRussianAndEnglish) {
  start();
  ASSERT_TRUE(emu->wait_for_calls("setMyCommands", 2, 10s));
  std::set<std::string> languages;
  for (const auto& c : emu->calls("setMyCommands"))
    languages.insert(c.params.value("language_code", ""));
  EXPECT_EQ(languages, (std::set<std::string>{"en", "ru"}));
  std::map<std::string, json> commands;
  for (const auto& c : emu->calls("setMyCommands")) {
    EXPECT_EQ(c.status, 200);
    commands[c.params.value("language_code", "")] = c.params["commands"];
  }
  ASSERT_EQ(commands["ru"].size(), 4u);
  EXPECT_EQ(commands["ru"][0],
            (json{{"command", "start"}, {"description", "Начать сначала и открыть меню"}}));
  ASSERT_EQ(commands["en"].size(), 4u);
  EXPECT_EQ(commands["en"][1], (json{{"command", "menu"}, {"description", "Main menu"}}));
}

}  // namespace
}  // namespace vpnbot::testing_support
