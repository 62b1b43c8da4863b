// Telegram Stars from the Buy button to subscription time, through the Bot
// API emulator: invoice, pre-checkout, successful_payment; replays,
// mismatches and the referral bonus, each checked in the database.

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "adapters/emulators/xui/xui_emulator.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t alice = 2001;
constexpr int64_t bob = 2002;

struct PaymentsStars : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<bot_harness> bot;

  void SetUp() override {
    fresh_database::SetUp();
    emu = std::make_unique<bot_api_emulator>();
    bot = std::make_unique<bot_harness>(bot_test_settings(url, *emu));
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

  // /start, Buy, 30 days, Telegram Stars: returns the invoice's parameters.
  json order_with_stars(int64_t user, const std::string& start_args = "") {
    auto before = emu->calls("sendMessage").size();
    emu->push_text(user, start_args.empty() ? "/start" : "/start " + start_args);
    auto menu = nth("sendMessage", before + 1);
    auto edits = emu->calls("editMessageText").size();
    emu->push_callback(user, 70, callback_of(menu, "Buy"));
    auto plans = nth("editMessageText", edits + 1);
    emu->push_callback(user, 70, callback_of(plans, "30 days"));
    auto methods = nth("editMessageText", edits + 2);
    auto invoices = emu->calls("sendInvoice").size();
    emu->push_callback(user, 70, callback_of(methods, "Telegram Stars"));
    return nth("sendInvoice", invoices + 1);
  }

  int64_t push_pre_checkout(int64_t user, const std::string& payload, int64_t amount) {
    return emu->push_update({{"pre_checkout_query",
                              {{"id", "pcq-" + std::to_string(user) + "-" + std::to_string(amount)},
                               {"from", {{"id", user}, {"is_bot", false}, {"first_name", "P"}}},
                               {"currency", "XTR"},
                               {"total_amount", amount},
                               {"invoice_payload", payload}}}});
  }

  int64_t push_paid(int64_t user, const std::string& payload, int64_t amount,
                    const std::string& charge) {
    return emu->push_update({{"message",
                              {{"message_id", 900},
                               {"from", {{"id", user}, {"is_bot", false}, {"first_name", "P"}}},
                               {"chat", {{"id", user}, {"type", "private"}}},
                               {"date", 1700000000},
                               {"successful_payment",
                                {{"currency", "XTR"},
                                 {"total_amount", amount},
                                 {"invoice_payload", payload},
                                 {"telegram_payment_charge_id", charge},
                                 {"provider_payment_charge_id", ""}}}}}});
  }

  std::string q(const std::string& sql) { return bot->query(sql); }
};

TEST_F(PaymentsStars, InvoicePreCheckoutAndPaymentGrantTheSubscriptionOnce) {
  auto invoice = order_with_stars(alice);
  EXPECT_EQ(invoice["currency"], "XTR");
  // Stars take no provider token: absent or empty.
  EXPECT_TRUE(!invoice.contains("provider_token") || invoice["provider_token"] == "");
  auto prices = invoice["prices"].is_string() ? json::parse(invoice["prices"].get<std::string>())
                                              : invoice["prices"];
  ASSERT_EQ(prices.size(), 1u);
  EXPECT_EQ(prices[0]["amount"], 150);
  auto payment_id = invoice["payload"].get<std::string>();
  EXPECT_EQ(q("SELECT status || ':' || amount || ':' || currency FROM payments WHERE id = '" +
              payment_id + "'"),
            "pending:150:XTR");

  push_pre_checkout(alice, payment_id, 150);
  auto answer = nth("answerPreCheckoutQuery", 1);
  EXPECT_EQ(answer["ok"], true);

  auto messages = emu->calls("sendMessage").size();
  push_paid(alice, payment_id, 150, "charge-1");
  auto received = nth("sendMessage", messages + 1);
  EXPECT_NE(received["text"].get<std::string>().find("✅ Payment received: 150 ⭐"),
            std::string::npos)
      << received["text"];
  EXPECT_EQ(q("SELECT status FROM payments"), "succeeded");
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions WHERE kind = 'paid'"), "1");
  EXPECT_EQ(
      q("SELECT (expires_at - now()) BETWEEN interval '29 days 23 hours' AND interval '30 days'"
        " FROM subscriptions"),
      "t");
  EXPECT_EQ(q("SELECT granted_expiry = (SELECT expires_at FROM subscriptions) FROM payments"), "t");
  EXPECT_EQ(q("SELECT kind || ':' || idempotency_key FROM jobs"),
            "create_client:payment:" + payment_id);

  // The same payment again (Telegram redelivering, a replayed update): nothing.
  push_paid(alice, payment_id, 150, "charge-1");
  push_paid(alice, payment_id, 150, "charge-2");
  ASSERT_TRUE(eventually([&] {
    return q("SELECT count(*) FROM telegram_updates WHERE note = 'payment_replayed'") == "2";
  }));
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "1");
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(emu->calls("sendMessage").size(), messages + 1);
}

// With a panel: paid in Stars, the key arrives (link, then QR) and the panel
// holds exactly one client of the user, with the granted expiry.
TEST_F(PaymentsStars, APaidStarsOrderEndsWithTheKeyDeliveredOnce) {
  xui_emulator panel;
  bot.reset();
  auto s = bot_test_settings(url, *emu);
  auto p = panel_settings_for(panel, "main");
  s.panels = {p};
  bot = std::make_unique<bot_harness>(s);
  auto payment_id = order_with_stars(alice)["payload"].get<std::string>();
  push_pre_checkout(alice, payment_id, 150);
  EXPECT_EQ(nth("answerPreCheckoutQuery", 1)["ok"], true);
  push_paid(alice, payment_id, 150, "charge-key");
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 15s));
  std::vector<std::string> texts;
  for (const auto& c : emu->calls("sendMessage")) texts.push_back(c.params["text"]);
  ASSERT_GE(texts.size(), 3u);
  EXPECT_NE(texts[texts.size() - 2].find("Payment received"), std::string::npos);
  EXPECT_NE(texts.back().find("Your key is ready"), std::string::npos) << texts.back();
  EXPECT_NE(texts.back().find(q("SELECT client_uuid FROM subscriptions")), std::string::npos);
  auto email = q("SELECT client_email FROM subscriptions");
  int ours = 0;
  for (const auto& c : panel.clients(panel.options().inbound_id)) ours += c.email == email;
  EXPECT_EQ(ours, 1);
  EXPECT_EQ(q("SELECT abs(extract(epoch from granted_expiry) * 1000 - " +
              std::to_string(panel.client(email)->expiry_time_ms) + ") < 1 FROM payments"),
            "t");
  EXPECT_EQ(q("SELECT state FROM jobs"), "done");
  std::this_thread::sleep_for(300ms);  // a second key would show up now
  EXPECT_EQ(emu->calls("sendPhoto").size(), 1u);
}

// The database refuses the payment's transaction (its table is locked, every
// statement times out) for longer than an update may fail before it is given
// up. The payment is the only record of the charge: it is retried, never
// skipped, and the stars are granted once the database answers again.
TEST_F(PaymentsStars, APaymentUpdateIsRetriedThroughADatabaseOutageNeverGivenUp) {
  bot.reset();
  auto s = bot_test_settings(url, *emu);
  s.database.statement_timeout = 200ms;
  bot = std::make_unique<bot_harness>(s);
  auto payment_id = order_with_stars(alice)["payload"].get<std::string>();
  push_pre_checkout(alice, payment_id, 150);
  EXPECT_EQ(nth("answerPreCheckoutQuery", 1)["ok"], true);

  auto held_before = metrics::global().value("vpnbot_telegram_payment_update_retries_total", {});
  pqxx::connection blocker(url);
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE payments IN ACCESS EXCLUSIVE MODE");
  auto update = push_paid(alice, payment_id, 150, "charge-outage");
  auto state = [&] {
    return q("SELECT state FROM telegram_updates WHERE update_id = " + std::to_string(update));
  };
  // Past the point where any other update would have been given up.
  ASSERT_TRUE(eventually(
      [&] {
        return state() != "received" ||
               metrics::global().value("vpnbot_telegram_payment_update_retries_total", {}) >=
                   held_before + 2;
      },
      20s));
  EXPECT_EQ(state(), "received");
  lock.abort();

  ASSERT_TRUE(eventually([&] { return q("SELECT status FROM payments") == "succeeded"; }, 20s));
  EXPECT_EQ(state(), "handled");
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions WHERE kind = 'paid'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "1");
  ASSERT_TRUE(emu->wait_for_calls("sendMessage", 1, 5s));
  int received = 0;
  for (const auto& c : emu->calls("sendMessage"))
    received += c.params["text"].get<std::string>().find("Payment received") != std::string::npos;
  EXPECT_EQ(received, 1);
}

// A long Russian plan title: the invoice goes out with its title cut between
// characters to Telegram's 32 instead of being refused for its length.
TEST_F(PaymentsStars, ALongRussianPlanTitleIsCutToTheInvoiceTitleLimit) {
  const std::string title =
      "30 days: быстрый и надёжный доступ к серверам Европы и Азии без ограничений скорости, "
      "трафика и числа устройств";
  q("UPDATE plans SET titles = jsonb_build_object('en', '" + title + "', 'ru', '" + title +
    "') WHERE code = 'm1'");
  auto invoice = order_with_stars(alice);
  auto cut = invoice.value("title", "");
  EXPECT_EQ(telegram::telegram_length(cut), 32u);
  EXPECT_TRUE(("VPN: " + title).starts_with(cut)) << cut;
  auto description = telegram::telegram_length(invoice.value("description", ""));
  ASSERT_TRUE(description);
  EXPECT_GE(*description, 1u);
  EXPECT_LE(*description, 255u);
}

TEST_F(PaymentsStars, PreCheckoutRefusesWrongAmountsAndUnknownPayments) {
  auto payment_id = order_with_stars(alice)["payload"].get<std::string>();
  push_pre_checkout(alice, payment_id, 149);
  push_pre_checkout(alice, "00000000-0000-4000-8000-000000000000", 150);
  push_pre_checkout(bob, payment_id, 150);
  ASSERT_TRUE(emu->wait_for_calls("answerPreCheckoutQuery", 3, 10s));
  for (const auto& c : emu->calls("answerPreCheckoutQuery")) {
    EXPECT_EQ(c.params["ok"], false);
    EXPECT_FALSE(c.params.value("error_message", "").empty());
  }
  EXPECT_EQ(q("SELECT status FROM payments"), "pending");
}

TEST_F(PaymentsStars, AmountMismatchIsFlaggedAndGrantsNothing) {
  auto payment_id = order_with_stars(alice)["payload"].get<std::string>();
  push_paid(alice, payment_id, 1, "charge-cheap");
  ASSERT_TRUE(eventually([&] { return q("SELECT status FROM payments") == "mismatch"; }));
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_mismatch'"), "1");
}

TEST_F(PaymentsStars, SecondPurchaseExtendsFromTheCurrentExpiryAndTheReferrerIsPaidOnce) {
  emu->push_text(alice, "/start");
  nth("sendMessage", 1);
  auto code = q("SELECT referral_code FROM users WHERE telegram_id = 2001");
  auto first = order_with_stars(bob, code)["payload"].get<std::string>();
  push_paid(bob, first, 150, "c-1");
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM subscriptions") == "1"; }));
  auto expiry = q("SELECT expires_at FROM subscriptions");
  auto second = order_with_stars(bob)["payload"].get<std::string>();
  push_paid(bob, second, 150, "c-2");
  ASSERT_TRUE(eventually(
      [&] { return q("SELECT count(*) FROM payments WHERE status = 'succeeded'") == "2"; }));
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(q("SELECT expires_at = '" + expiry +
              "'::timestamptz + interval '30 days' FROM subscriptions"),
            "t");
  EXPECT_EQ(q("SELECT string_agg(kind, ',' ORDER BY id) FROM jobs"), "create_client,extend_client");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = 2001"), "5000");
  EXPECT_EQ(q("SELECT count(*) FROM balance_ledger WHERE reason = 'referral_bonus'"), "1");
}

// The refund takes back what the payment bought: the subscription ends (its
// client is disabled through a job), the referrer's bonus for this payment
// is reversed, and the payer is told.
TEST_F(PaymentsStars, AnAdminRefundsASucceededStarsPaymentOnceAndTakesBackWhatItBought) {
  constexpr int64_t admin = 2099;
  bot.reset();
  auto settings = bot_test_settings(url, *emu);
  settings.bot.admin_ids = {admin};
  bot = std::make_unique<bot_harness>(settings);
  emu->push_text(bob, "/start");
  nth("sendMessage", 1);
  auto code = q("SELECT referral_code FROM users WHERE telegram_id = 2002");
  auto payment_id = order_with_stars(alice, code)["payload"].get<std::string>();
  push_pre_checkout(alice, payment_id, 150);
  nth("answerPreCheckoutQuery", 1);
  push_paid(alice, payment_id, 150, "charge-9");
  ASSERT_TRUE(eventually([&] { return q("SELECT status FROM payments") == "succeeded"; }));
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = 2002"), "5000");

  // Not an admin: the command is unknown, nothing is refunded.
  emu->push_text(alice, "/refund " + payment_id);
  emu->push_text(admin, "/refund " + payment_id);
  auto refund = nth("refundStarPayment", 1);
  EXPECT_EQ(refund["user_id"], alice);
  EXPECT_EQ(refund["telegram_payment_charge_id"], "charge-9");
  EXPECT_EQ(q("SELECT status FROM payments"), "refunded");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'stars_refund'"), "1");
  EXPECT_EQ(q("SELECT provider || ':' || refund_id || ':' || amount FROM payment_refunds"),
            "stars:charge-9:150");
  // All 30 days taken back: the subscription has ended and its client goes off.
  EXPECT_EQ(q("SELECT status || ':' || (expires_at <= now()) FROM subscriptions"), "expired:true");
  EXPECT_EQ(q("SELECT string_agg(kind, ',' ORDER BY id) FROM jobs"),
            "create_client,disable_client");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = 2002"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM balance_ledger WHERE ref LIKE 'referral_reversal:%'"), "1");
  ASSERT_TRUE(eventually([&] {
    for (const auto& c : emu->calls("sendMessage"))
      if (c.params["chat_id"] == alice &&
          c.params["text"].get<std::string>().find("Refund of 150") != std::string::npos)
        return true;
    return false;
  }));
  // Twice: refused, no second call, nothing taken twice.
  auto before = emu->calls("sendMessage").size();
  emu->push_text(admin, "/refund " + payment_id);
  auto answer = nth("sendMessage", before + 1);
  EXPECT_NE(answer["text"].get<std::string>().find("Cannot refund"), std::string::npos);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(emu->calls("refundStarPayment").size(), 1u);
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "2");
}

}  // namespace
}  // namespace vpnbot::testing_support
