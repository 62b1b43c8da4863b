#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "domain/bot/ui/callback_data.hpp"
#include "domain/bot/ui/embedded_locales.hpp"
#include "domain/bot/ui/keyboards.hpp"

namespace vpnbot::telegram {
namespace {

const texts& t() {
  return texts::builtin();
}

std::vector<std::string> labels(const inline_keyboard& kb) {
  std::vector<std::string> out;
  for (const auto& row : kb.rows)
    for (const auto& b : row) out.push_back(b.text);
  return out;
}

// Every keyboard must be one Telegram accepts, and every callback button must
// parse back, in both languages.
void expect_sound(const inline_keyboard& kb) {
  auto problem = validate(kb);
  EXPECT_FALSE(problem) << *problem;
  for (const auto& row : kb.rows)
    for (const auto& b : row) {
      EXPECT_EQ(b.text.find('{'), std::string::npos) << "unfilled label " << b.text;
      if (b.kind == inline_button::action::callback) {
        EXPECT_TRUE(parse_callback(b.value)) << b.value;
      }
    }
}

TEST(TelegramKeyboards, MainMenu) {
  auto kb = main_menu(t(), language::en, true);
  EXPECT_EQ(labels(kb), (std::vector<std::string>{"🎁 Free trial", "💳 Buy", "🔑 My subscriptions",
                                                  "👥 Invite friends", "💰 Balance",
                                                  "🎟 Promo code", "❓ Help", "🌐 Language"}));
  EXPECT_EQ(kb.rows[0][0].value, "m:trial");
  ASSERT_EQ(kb.rows.size(), 5u);
  EXPECT_EQ(kb.rows[3][0].value, "m:promo");
  EXPECT_EQ(kb.rows[4][1].value, "m:lang");
  auto ru = main_menu(t(), language::ru, false);
  EXPECT_EQ(ru.rows[0].size(), 1u);
  EXPECT_EQ(ru.rows[0][0].text, "💳 Купить");
  expect_sound(kb);
  expect_sound(ru);
}

// The kept main menu is the built one, written as json_text writes it, one
// object per catalog, language and flags.
TEST(TelegramKeyboards, TheKeptMainMenuIsTheBuiltOneWrittenOnce) {
  for (auto l : all_languages)
    for (int flags = 0; flags < 8; ++flags) {
      bool trial = flags & 1, location = flags & 2, admin = flags & 4;
      auto kept = rendered_main_menu(t(), l, trial, location, admin);
      ASSERT_TRUE(kept);
      auto built = main_menu(t(), l, trial, location, admin);
      EXPECT_EQ(kept->keyboard(), built);
      EXPECT_EQ(kept->json(), json_text(built));
      EXPECT_EQ(rendered_main_menu(t(), l, trial, location, admin), kept);
      EXPECT_EQ(built.rows.back()[0].value == "m:admin", admin) << flags;
      expect_sound(built);
    }
  EXPECT_NE(rendered_main_menu(t(), language::en, true, false, false),
            rendered_main_menu(t(), language::en, false, false, false));
}

// A catalog made after another is gone (perhaps at the same address) gets
// its own labels, not the kept menu of the first.
TEST(TelegramKeyboards, EachCatalogKeepsItsOwnMainMenu) {
  auto with_buy_label = [](const std::string& label) {
    std::vector<locale_document> docs;
    for (auto l : all_languages) {
      auto doc = nlohmann::json::parse(embedded_locale(code(l)));
      doc["btn.buy"] = label;
      docs.push_back({l, "test", doc.dump()});
    }
    auto parsed = texts::parse(docs);
    EXPECT_TRUE(parsed) << parsed.error();
    return std::move(*parsed);
  };
  std::optional<texts> slot;  // both catalogs at one address
  slot.emplace(with_buy_label("Buy one"));
  auto first_json = rendered_main_menu(*slot, language::en, false, false, false)->json();
  slot.reset();
  slot.emplace(with_buy_label("Buy two"));
  auto json = rendered_main_menu(*slot, language::en, false, false, false)->json();
  EXPECT_NE(first_json.find("Buy one"), std::string::npos);
  EXPECT_NE(json.find("Buy two"), std::string::npos) << json;
  EXPECT_EQ(json.find("Buy one"), std::string::npos) << json;
}

TEST(TelegramKeyboards, EveryScreenIsSoundInBothLanguages) {
  for (auto l : all_languages) {
    expect_sound(back_to_menu(t(), l));
    expect_sound(plans_menu(t(), l,
                            {{"m1", "1 month", "30 days", "150 ₽"},
                             {"m3", "3 months", "90 days", "400 ₽"}})
                     .value());
    expect_sound(
        payment_methods(t(), l, "m1", {"stars", "yookassa", "cryptobot", "balance"}).value());
    expect_sound(waiting_payment(t(), l, "https://pay.example/abc", "150 ₽", "pay-1").value());
    expect_sound(stars_invoice(t(), l, "⭐150", "pay-1").value());
    expect_sound(
        subscriptions_list(t(), l, {{1, "1 month", "01.02.2025"}, {2, "Trial", "03.01.2025"}}));
    expect_sound(subscription_actions(t(), l, 1, true));
    expect_sound(
        invite(t(), l, "https://t.me/share/url?url=https%3A%2F%2Ft.me%2Fbot%3Fstart%3Dref_1"));
    expect_sound(balance(t(), l));
    expect_sound(top_up_amounts(
        t(), l,
        {{10000, "100 ₽"}, {30000, "300 ₽"}, {50000, "500 ₽"}, {100000, "1000 ₽"}}));
    expect_sound(help(t(), l, "https://t.me/support"));
    expect_sound(language_menu(t(), l));
  }
}

TEST(TelegramKeyboards, PlansAndMethodsCarryTheirIds) {
  auto plans = plans_menu(t(), language::en, {{"m1", "1 month", "30 days", "150 ₽"}}).value();
  EXPECT_EQ(plans.rows[0][0].text, "30 days · 150 ₽");
  EXPECT_EQ(plans.rows[0][0].value, "p:m1");
  EXPECT_EQ(plans.rows.back()[0].value, "m:main");
  auto methods = payment_methods(t(), language::ru, "m1", {"stars", "yookassa"}).value();
  EXPECT_EQ(methods.rows[0][0].value, "pm:m1:stars");
  EXPECT_EQ(methods.rows[1][0].text, "💳 Банковская карта");
  EXPECT_EQ(methods.rows.back()[0].value, "m:buy");
}

TEST(TelegramKeyboards, RefusesWhatTelegramWouldRefuse) {
  EXPECT_FALSE(plans_menu(t(), language::en, {{"bad plan", "x", "y", "z"}}));
  EXPECT_FALSE(payment_methods(t(), language::en, "m1", {"paypal"}));  // no label for it
  EXPECT_FALSE(payment_methods(t(), language::en, "bad:plan", {"stars"}));
  EXPECT_FALSE(waiting_payment(t(), language::en, "", "1", "p"));
  EXPECT_FALSE(stars_invoice(t(), language::en, "1", "bad id"));
}

TEST(TelegramKeyboards, PaymentKeyboards) {
  auto stars = stars_invoice(t(), language::en, "⭐150", "pay-1").value();
  EXPECT_EQ(stars.rows[0][0].kind, inline_button::action::pay);  // Telegram requires it first
  EXPECT_EQ(stars.rows[0][0].text, "Pay ⭐150");
  EXPECT_EQ(stars.rows[1][0].value, "pc:pay-1");
  auto ext =
      waiting_payment(t(), language::ru, "https://pay.example/abc", "150 ₽", "pay-1").value();
  EXPECT_EQ(ext.rows[0][0].kind, inline_button::action::url);
  EXPECT_EQ(ext.rows[0][0].value, "https://pay.example/abc");
  EXPECT_EQ(ext.rows[1][0].text, "✖️ Отменить");
}

TEST(TelegramKeyboards, SubscriptionToggleOffersTheOppositeState) {
  auto on = subscription_actions(t(), language::en, 42, true);
  EXPECT_EQ(on.rows[0][1].text, "🔁 Auto-renew: on");
  EXPECT_EQ(on.rows[0][1].value, "ar:42:0");
  auto off = subscription_actions(t(), language::en, 42, false);
  EXPECT_EQ(off.rows[0][1].value, "ar:42:1");
  EXPECT_EQ(on.rows[0][0].value, "q:42");
  EXPECT_EQ(on.rows.back()[0].value, "m:subs");
}

TEST(TelegramKeyboards, TopUpAmountsInRowsOfThree) {
  auto kb = top_up_amounts(t(), language::en, {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}});
  ASSERT_EQ(kb.rows.size(), 3u);
  EXPECT_EQ(kb.rows[0].size(), 3u);
  EXPECT_EQ(kb.rows[1].size(), 1u);
  EXPECT_EQ(kb.rows[1][0].value, "t:4");
}

TEST(TelegramKeyboards, SerializesForTheBotApi) {
  EXPECT_EQ(
      json_text(language_menu(t(), language::en)),
      R"({"inline_keyboard":[[{"callback_data":"l:en","text":"🇬🇧 English"},)"
      R"({"callback_data":"l:ru","text":"🇷🇺 Русский"}],[{"callback_data":"m:main","text":"« Back"}]]})");
  auto url = nlohmann::json::parse(json_text(help(t(), language::en, "https://t.me/support")));
  EXPECT_EQ(url["inline_keyboard"][0][0]["url"], "https://t.me/support");
}

}  // namespace
}  // namespace vpnbot::telegram
