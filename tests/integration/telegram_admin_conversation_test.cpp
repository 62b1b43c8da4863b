// The operator's screens in the bot (domain/bot/admin_*.cpp): the whole
// service in process against the Bot API emulator and a real PostgreSQL.
// Each test asserts what the admin saw and what changed in the database,
// and that nobody else reaches these screens.

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t admin = 3001;
constexpr int64_t bob = 3002;

struct TelegramAdminConversation : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<bot_harness> bot;

  void start(const std::function<void(config::settings&)>& tweak = {}) {
    emu = std::make_unique<bot_api_emulator>();
    auto s = bot_test_settings(url, *emu);
    s.bot.admin_ids = {admin};
    if (tweak) tweak(s);
    bot = std::make_unique<bot_harness>(s);
  }

  void TearDown() override {
    bot.reset();
    emu.reset();
    fresh_database::TearDown();
  }

  // The n-th (1-based) call of a method to one chat, once it has arrived.
  json nth(const std::string& method, int64_t chat, std::size_t n) {
    std::vector<json> mine;
    bool arrived = eventually([&] {
      mine.clear();
      for (const auto& c : emu->calls(method))
        if (c.params.value("chat_id", int64_t{0}) == chat) mine.push_back(c.params);
      return mine.size() >= n;
    });
    EXPECT_TRUE(arrived) << "no call " << n << " of " << method << " to " << chat;
    return arrived ? mine[n - 1] : json::object();
  }

  std::string text(const std::string& method, int64_t chat, std::size_t n) {
    return nth(method, chat, n).value("text", "");
  }

  void press(int64_t user, const json& message_params, const std::string& label) {
    auto data = callback_of(message_params, label);
    ASSERT_FALSE(data.empty()) << "no button \"" << label << "\" in " << buttons_of(message_params);
    emu->push_callback(user, 77, data);
  }

  void sql(const std::string& statement) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec(statement);
    tx.commit();
  }

  std::string awaiting(int64_t user) {
    return bot->query(
        "SELECT coalesce(s.data->>'awaiting', 'none') FROM sessions s JOIN users u ON u.id ="
        " s.user_id WHERE u.telegram_id = " +
        std::to_string(user));
  }

  // A paid subscription of bob's with its client made (a key issued).
  std::string give_bob_a_subscription() {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO panels (name, base_url, inbound_id) VALUES ('main', 'http://127.0.0.1:1', 1)"
        " ON CONFLICT DO NOTHING");
    auto user = db::find_user_by_telegram_id(tx, bob);
    auto row = subscriptions::provision(tx, user->id, *db::find_plan(tx, "m1"), "paid", "t-1");
    db::set_access_link(tx, row->id, "vless://key@host:443");
    tx.exec("UPDATE jobs SET state = 'done'");
    tx.commit();
    return std::to_string(row->id);
  }

  // The admin's /start menu, and bob's.
  json both_start() {
    emu->push_text(admin, "/start");
    auto menu = nth("sendMessage", admin, 1);
    emu->push_text(bob, "/start");
    nth("sendMessage", bob, 1);
    return menu;
  }
};

TEST_F(TelegramAdminConversation, NonAdminsReachNoAdminScreenAndChangeNothing) {
  start();
  both_start();
  sql("INSERT INTO promo_codes (code, kind, amount) VALUES ('FREE7', 'days', 7)");
  emu->push_text(bob, "/admin");
  EXPECT_EQ(text("sendMessage", bob, 2), "I don't know that command. Please use the menu below.");
  const std::vector<std::string> forged = {"m:admin",  "m:astats",     "m:afind",   "m:abcast",
                                           "m:apnew",  "au:g:3002:30", "au:x:3001", "au:b:3002",
                                           "ax:FREE7", "ad:send"};
  for (const auto& data : forged) emu->push_callback(bob, 9, data);
  for (std::size_t i = 1; i <= forged.size(); ++i)
    EXPECT_EQ(text("editMessageText", bob, i), "Main menu. What would you like to do?")
        << forged[i - 1];
  emu->push_text(bob, "+500 note");
  EXPECT_EQ(text("sendMessage", bob, 3), "Main menu. What would you like to do?");
  EXPECT_EQ(bot->query("SELECT count(*) FROM audit_log"), "0");
  EXPECT_EQ(bot->query("SELECT count(*) FROM subscriptions"), "0");
  EXPECT_EQ(bot->query("SELECT count(*) FROM balance_ledger"), "0");
  EXPECT_EQ(bot->query("SELECT count(*) FROM broadcasts"), "0");
  EXPECT_EQ(bot->query("SELECT enabled FROM promo_codes"), "t");
  EXPECT_EQ(bot->query("SELECT count(*) FROM users WHERE banned"), "0");
  EXPECT_EQ(awaiting(bob), "none");
}

TEST_F(TelegramAdminConversation, StatsShowTheSeededNumbers) {
  start();
  auto menu = both_start();
  give_bob_a_subscription();
  sql("INSERT INTO payments (user_id, purpose, provider, provider_payment_id, amount, currency,"
      " status, finalized_at) SELECT id, 'topup', 'yookassa', 'yk-1', 30000, 'RUB', 'succeeded',"
      " now() FROM users WHERE telegram_id = 3002");
  sql("INSERT INTO payments (user_id, purpose, provider, amount, currency, status) SELECT id,"
      " 'topup', 'yookassa', 10000, 'RUB', 'pending' FROM users WHERE telegram_id = 3002");
  press(admin, menu, "Admin");
  auto admin_menu = nth("editMessageText", admin, 1);
  EXPECT_EQ(buttons_of(admin_menu),
            "📊 Stats|🔎 Find user/📣 Broadcast|🎟 Promo codes/🏠 Main menu");
  press(admin, admin_menu, "Stats");
  auto stats = text("editMessageText", admin, 2);
  for (const auto* expected :
       {"Users: 2 (new today 2, in 7 days 2)", "Active paid: 1 · trials: 0",
        "Revenue today: 300 ₽", "Revenue in 30 days: 300 ₽", "Payments: pending 1, succeeded 1",
        "Panel jobs waiting: 0 · dead: 0"})
    EXPECT_NE(stats.find(expected), std::string::npos) << expected << " in " << stats;
  // /admin opens the same menu.
  emu->push_text(admin, "/admin");
  EXPECT_EQ(buttons_of(nth("sendMessage", admin, 2)), buttons_of(admin_menu));
}

TEST_F(TelegramAdminConversation, FindByIdGrantsDaysAndAdjustsTheBalance) {
  start();
  auto menu = both_start();
  auto sub = give_bob_a_subscription();
  auto expiry = [&] {
    return bot->query("SELECT extract(epoch from expires_at)::bigint FROM subscriptions");
  };
  auto before = expiry();
  press(admin, menu, "Admin");
  press(admin, nth("editMessageText", admin, 1), "Find user");
  auto prompt = nth("editMessageText", admin, 2);
  EXPECT_EQ(prompt["text"], "🔎 Send the user's Telegram id, @username or referral code.");
  EXPECT_EQ(buttons_of(prompt), "✖️ Cancel");
  EXPECT_EQ(awaiting(admin), "admin_find");
  // Cancel leaves the prompt: the same id afterwards only opens the menu.
  press(admin, prompt, "Cancel");
  EXPECT_NE(text("editMessageText", admin, 3).find("<b>Admin</b>"), std::string::npos);
  EXPECT_EQ(awaiting(admin), "none");
  emu->push_text(admin, "3002");
  EXPECT_EQ(text("sendMessage", admin, 2), "Main menu. What would you like to do?");

  press(admin, nth("editMessageText", admin, 3), "Find user");
  nth("editMessageText", admin, 4);
  emu->push_text(admin, "99999");
  auto nobody = nth("sendMessage", admin, 3);
  EXPECT_NE(nobody["text"].get<std::string>().find("Nobody found for “99999”"), std::string::npos);
  EXPECT_EQ(buttons_of(nobody), "✖️ Cancel");
  EXPECT_EQ(awaiting(admin), "admin_find");
  emu->push_text(admin, "3002");
  auto card = nth("sendMessage", admin, 4);
  auto card_text = card["text"].get<std::string>();
  EXPECT_NE(card_text.find("Telegram id <code>3002</code>"), std::string::npos) << card_text;
  EXPECT_NE(card_text.find("#" + sub + " 30 days (paid) · active"), std::string::npos) << card_text;
  EXPECT_NE(card_text.find("<b>Balance:</b> 0 ₽"), std::string::npos) << card_text;

  press(admin, card, "+30 d");
  auto granted = nth("editMessageText", admin, 5);
  EXPECT_EQ(granted["text"].get<std::string>().rfind(
                "✅ 30 days added: subscription #" + sub + " until ", 0),
            0u)
      << granted["text"];
  EXPECT_EQ(bot->query("SELECT (" + expiry() + " - " + before + ") / 86400"), "30");
  EXPECT_EQ(bot->query("SELECT actor || ' ' || action || ' ' || subject || ' ' ||"
                       " (details->>'days') || ' ' || (details->>'admin') FROM audit_log"),
            "admin grant_days user:3002 30 3001");
  EXPECT_EQ(
      bot->query("SELECT count(*) FROM jobs WHERE kind = 'extend_client' AND state <> 'done'"),
      "1");

  press(admin, granted, "Adjust balance");
  EXPECT_NE(text("editMessageText", admin, 6).find("Send the change in RUB"), std::string::npos);
  EXPECT_EQ(awaiting(admin), "admin_balance");
  emu->push_text(admin, "five hundred");
  EXPECT_NE(text("sendMessage", admin, 5).find("That is not a change of the balance"),
            std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM balance_ledger"), "0");
  emu->push_text(admin, "+500 bonus for the review");
  auto adjusted = text("sendMessage", admin, 6);
  EXPECT_EQ(adjusted.rfind("✅ Balance +500 ₽. Now: 500 ₽.", 0), 0u) << adjusted;
  EXPECT_EQ(bot->query("SELECT delta || ' ' || reason FROM balance_ledger"),
            "50000 admin_adjustment");
  EXPECT_EQ(bot->query("SELECT balance FROM users WHERE telegram_id = 3002"), "50000");
  EXPECT_EQ(bot->query("SELECT (details->>'note') || ' ' || (details->>'admin') FROM audit_log"
                       " WHERE action = 'adjust_balance'"),
            "bonus for the review 3001");
  EXPECT_EQ(awaiting(admin), "none");
}

TEST_F(TelegramAdminConversation, TakingDaysMovesTheExpiryEarlierAndResendKeySendsTheKeyAgain) {
  start();
  both_start();
  auto sub = give_bob_a_subscription();
  auto expiry = [&] {
    return std::stoll(
        bot->query("SELECT extract(epoch from expires_at)::bigint FROM subscriptions"));
  };
  auto before = expiry();
  emu->push_text(admin, "/admin");
  press(admin, nth("sendMessage", admin, 2), "Find user");
  nth("editMessageText", admin, 1);
  emu->push_text(admin, "3002");
  auto card = nth("sendMessage", admin, 3);

  press(admin, card, "−7 d");
  auto taken = nth("editMessageText", admin, 2);
  EXPECT_EQ(
      taken["text"].get<std::string>().rfind("✅ 7 days taken: subscription #" + sub + " until ", 0),
      0u)
      << taken["text"];
  EXPECT_EQ(before - expiry(), 7 * 24 * 3600);
  // The panel gets the earlier expiry through a job.
  EXPECT_EQ(bot->query("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')"), "1");

  auto keys_before = emu->calls("sendMessage").size();
  press(admin, taken, "Resend key");
  EXPECT_EQ(text("editMessageText", admin, 3)
                .rfind("🔑 The key of subscription #" + sub + " is sent again.", 0),
            0u);
  ASSERT_TRUE(eventually([&] {
    auto sent = emu->calls("sendMessage");
    for (auto i = keys_before; i < sent.size(); ++i) {
      const auto& c = sent[i].params;
      if (c.value("chat_id", int64_t{0}) == bob &&
          c.value("text", "").find("vless://key@host:443") != std::string::npos)
        return true;
    }
    return false;
  }));
  EXPECT_EQ(bot->query("SELECT string_agg(action || ':' || (details->>'admin'), ' ' ORDER BY id)"
                       " FROM audit_log"),
            "take_days:3001 resend_key:3001");
}

TEST_F(TelegramAdminConversation, FindByUsernameBansUnbansAndRefusesAnUnsupportedRefund) {
  start();
  both_start();
  give_bob_a_subscription();
  sql("UPDATE users SET username = 'Bobby' WHERE telegram_id = 3002");
  auto payment = bot->query(
      "INSERT INTO payments (user_id, purpose, provider, provider_payment_id, amount, currency,"
      " status, finalized_at) SELECT id, 'topup', 'cryptobot', '77', 30000, 'RUB', 'succeeded',"
      " now() FROM users WHERE telegram_id = 3002 RETURNING id");
  emu->push_text(admin, "/admin");
  press(admin, nth("sendMessage", admin, 2), "Find user");
  nth("editMessageText", admin, 1);
  emu->push_text(admin, "@bobby");
  auto card = nth("sendMessage", admin, 3);
  EXPECT_NE(card["text"].get<std::string>().find("<b>User 3002</b> @Bobby"), std::string::npos)
      << card["text"];

  // CryptoBot has no refund call: refused by name, nothing changed.
  press(admin, card, "Refund 300 ₽ · cryptobot");
  auto refused = text("editMessageText", admin, 2);
  EXPECT_EQ(refused.rfind("⚠️ Not done: ", 0), 0u) << refused;
  EXPECT_NE(refused.find("cryptobot"), std::string::npos) << refused;
  EXPECT_EQ(bot->query("SELECT status FROM payments WHERE id = '" + payment + "'"), "succeeded");
  EXPECT_EQ(bot->query("SELECT count(*) FROM refund_requests"), "0");

  press(admin, nth("editMessageText", admin, 2), "Ban");
  auto banned = nth("editMessageText", admin, 3);
  EXPECT_EQ(banned["text"].get<std::string>().rfind(
                "⛔ Banned. Subscriptions to disable on the panel: 1.", 0),
            0u)
      << banned["text"];
  EXPECT_NE(buttons_of(banned).find("✅ Unban"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT banned FROM users WHERE telegram_id = 3002"), "t");
  EXPECT_EQ(bot->query("SELECT count(*) FROM jobs WHERE kind = 'disable_client'"), "1");
  EXPECT_NE(text("sendMessage", bob, 2).find("suspended"), std::string::npos);
  press(admin, banned, "Unban");
  EXPECT_EQ(text("editMessageText", admin, 4)
                .rfind("✅ Unbanned. Subscriptions to enable on the panel: 1.", 0),
            0u);
  EXPECT_EQ(bot->query("SELECT count(*) FROM jobs WHERE kind = 'enable_client'"), "1");
  EXPECT_EQ(bot->query("SELECT string_agg(action || ':' || (details->>'admin'), ' ' ORDER BY id)"
                       " FROM audit_log"),
            "ban:3001 unban:3001");
}

TEST_F(TelegramAdminConversation, AYooKassaRefundFromTheCardIsRequestedAtYooKassa) {
  start();
  both_start();
  auto payment = bot->query(
      "INSERT INTO payments (user_id, purpose, provider, provider_payment_id, amount, currency,"
      " status, finalized_at) SELECT id, 'topup', 'yookassa', 'yk-1', 30000, 'RUB', 'succeeded',"
      " now() FROM users WHERE telegram_id = 3002 RETURNING id");
  emu->push_text(admin, "/admin");
  press(admin, nth("sendMessage", admin, 2), "Find user");
  nth("editMessageText", admin, 1);
  emu->push_text(admin, "3002");
  press(admin, nth("sendMessage", admin, 3), "Refund 300 ₽ · yookassa");
  auto requested = text("editMessageText", admin, 2);
  EXPECT_EQ(requested.rfind("↩️ Refund of 300 ₽ for payment <code>" + payment +
                                "</code> requested at yookassa.",
                            0),
            0u)
      << requested;
  EXPECT_EQ(bot->query("SELECT status || ' ' || amount_minor || ' ' || operator_kind FROM"
                       " refund_requests WHERE payment_id = '" +
                       payment + "'"),
            "requested 30000 admin");
  // Until YooKassa confirms, the payment and the balance stay as they are.
  EXPECT_EQ(bot->query("SELECT status FROM payments WHERE id = '" + payment + "'"), "succeeded");
}

TEST_F(TelegramAdminConversation, AStarsPaymentIsRefundedFromTheCard) {
  start();
  both_start();
  sql("UPDATE users SET balance_currency = 'XTR' WHERE telegram_id = 3002");
  std::string payment;
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::new_payment p;
    p.user_id = db::find_user_by_telegram_id(tx, bob)->id;
    p.purpose = "topup";
    p.provider = "stars";
    p.amount = 150;
    p.currency = "XTR";
    payment = db::create_payment(tx, p);
    telegram::outbox_writer out(tx);
    payments::finalize_payment(tx, {payment, "stars", "charge-1", 150, "XTR"}, {}, out);
    tx.commit();
  }
  emu->push_text(admin, "/admin");
  press(admin, nth("sendMessage", admin, 2), "Find user");
  nth("editMessageText", admin, 1);
  emu->push_text(admin, "3002");
  auto card = nth("sendMessage", admin, 3);
  EXPECT_NE(card["text"].get<std::string>().find("<b>Balance:</b> 150 ⭐"), std::string::npos)
      << card["text"];
  press(admin, card, "Refund 150 ⭐ · stars");
  auto refunded = text("editMessageText", admin, 2);
  EXPECT_EQ(refunded.rfind("↩️ Refunded 150 ⭐ of payment <code>" + payment + "</code>.", 0),
            0u)
      << refunded;
  EXPECT_NE(refunded.find("<b>Balance:</b> 0 ⭐"), std::string::npos) << refunded;
  ASSERT_TRUE(emu->wait_for_calls("refundStarPayment", 1, 10s));
  EXPECT_EQ(emu->calls("refundStarPayment")[0].params["user_id"], bob);
  EXPECT_EQ(emu->calls("refundStarPayment")[0].params["telegram_payment_charge_id"], "charge-1");
  EXPECT_EQ(bot->query("SELECT status FROM payments"), "refunded");
  EXPECT_EQ(bot->query("SELECT (details->>'admin') || ' ' || subject FROM audit_log WHERE action ="
                       " 'refund'"),
            "3001 payment:" + payment);
}

TEST_F(TelegramAdminConversation, ABroadcastIsPreviewedConfirmedAndControlled) {
  // Slow enough that the broadcast is still going while the admin presses;
  // the broadcaster's own edits of the progress message are left out, so
  // the edits counted here are the presses' (the next test has them).
  start([](config::settings& s) {
    s.telegram.global_rate = 10;
    s.telegram.broadcast_progress_interval = std::chrono::hours(1);
  });
  emu->push_text(admin, "/start");
  auto menu = nth("sendMessage", admin, 1);
  sql("INSERT INTO users (telegram_id, first_name, language, referral_code) SELECT 500000 + n,"
      " 'U', 'en', 'ref' || n FROM generate_series(1, 300) n");
  sql("INSERT INTO users (telegram_id, first_name, language, referral_code) VALUES (600001, 'R',"
      " 'ru', 'refru1')");
  press(admin, menu, "Admin");
  press(admin, nth("editMessageText", admin, 1), "Broadcast");
  EXPECT_NE(text("editMessageText", admin, 2).find("Send the message for the users."),
            std::string::npos);
  EXPECT_EQ(awaiting(admin), "admin_broadcast");
  // HTML Telegram would refuse is refused before any preview.
  emu->push_text(admin, "<b>News for you");
  auto broken = nth("sendMessage", admin, 2);
  EXPECT_EQ(broken["text"].get<std::string>().rfind("⚠️ Not done: &lt;b&gt; is not closed", 0),
            0u)
      << broken["text"];
  EXPECT_EQ(buttons_of(broken), "✖️ Cancel");
  EXPECT_EQ(awaiting(admin), "admin_broadcast");
  emu->push_text(admin, "<b>News</b> for you");
  auto preview = nth("sendMessage", admin, 3);
  EXPECT_EQ(preview["text"], "<b>News</b> for you");
  EXPECT_EQ(preview["parse_mode"], "HTML");
  EXPECT_EQ(buttons_of(preview), "");
  auto options = nth("sendMessage", admin, 4);
  EXPECT_NE(options["text"].get<std::string>().find("Recipients: <b>All</b>"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM broadcasts"), "0");

  press(admin, options, "Menu button");
  auto with_button = nth("sendMessage", admin, 5);
  EXPECT_EQ(with_button["text"], "<b>News</b> for you");
  EXPECT_EQ(buttons_of(with_button), "🏠 Main menu");
  EXPECT_EQ(callback_of(with_button, "Main menu"), "m:main");
  auto chosen = nth("editMessageText", admin, 3);
  EXPECT_NE(chosen["text"].get<std::string>().find("Button: <b>Menu button</b>"),
            std::string::npos);
  press(admin, chosen, "English");
  auto english = nth("editMessageText", admin, 4);
  EXPECT_NE(english["text"].get<std::string>().find("Recipients: <b>English</b>"),
            std::string::npos);
  EXPECT_NE(buttons_of(english).find("✓ English"), std::string::npos);
  EXPECT_EQ(bot->query("SELECT count(*) FROM broadcasts"), "0");

  press(admin, english, "Send");
  auto progress = nth("editMessageText", admin, 5);
  auto progress_text = progress["text"].get<std::string>();
  EXPECT_NE(progress_text.find("<b>Broadcast #"), std::string::npos) << progress_text;
  EXPECT_NE(progress_text.find("Recipients: 301"), std::string::npos) << progress_text;
  EXPECT_EQ(bot->query("SELECT segment || ' ' || language || ' ' || button_menu || ' ' ||"
                       " created_by || ' ' || total FROM broadcasts"),
            "language en true 3001 301");
  press(admin, progress, "Pause");
  auto paused = nth("editMessageText", admin, 6);
  EXPECT_NE(paused["text"].get<std::string>().find(": paused"), std::string::npos)
      << paused["text"];
  EXPECT_EQ(bot->query("SELECT state FROM broadcasts"), "paused");
  EXPECT_NE(buttons_of(paused).find("▶️ Resume"), std::string::npos) << buttons_of(paused);
  press(admin, paused, "Refresh");
  EXPECT_NE(text("editMessageText", admin, 7).find(": paused"), std::string::npos);
  press(admin, paused, "Resume");
  auto resumed = nth("editMessageText", admin, 8);
  EXPECT_NE(resumed["text"].get<std::string>().find(": sending"), std::string::npos)
      << resumed["text"];
  press(admin, resumed, "Cancel");
  auto cancelled = nth("editMessageText", admin, 9);
  EXPECT_NE(cancelled["text"].get<std::string>().find(": cancelled"), std::string::npos)
      << cancelled["text"];
  EXPECT_EQ(buttons_of(cancelled), "🔄 Refresh/« Back");
  EXPECT_EQ(bot->query("SELECT state FROM broadcasts"), "cancelled");
  EXPECT_EQ(bot->query("SELECT string_agg(action || ':' || (details->>'admin'), ' ' ORDER BY id)"
                       " FROM audit_log"),
            "broadcast_start:3001 broadcast_pause:3001 broadcast_resume:3001"
            " broadcast_cancel:3001");
  // The Russian-speaking user was not a recipient.
  EXPECT_EQ(bot->query("SELECT count(*) FROM broadcast_recipients r JOIN users u ON u.id ="
                       " r.user_id WHERE u.telegram_id = 600001"),
            "0");
}

TEST_F(TelegramAdminConversation, TheProgressMessageFollowsTheBroadcastWithoutAPress) {
  start([](config::settings& s) { s.telegram.broadcast_progress_interval = 100ms; });
  both_start();
  sql("INSERT INTO users (telegram_id, first_name, language, referral_code) SELECT 700000 + n,"
      " 'U', 'en', 'prog' || n FROM generate_series(1, 5) n");
  emu->push_text(admin, "/admin");
  press(admin, nth("sendMessage", admin, 2), "Broadcast");
  emu->push_text(admin, "Hello, all");
  nth("sendMessage", admin, 3);  // the preview
  auto options = nth("sendMessage", admin, 4);
  // The real message, so its edits are seen as Telegram would apply them.
  int64_t options_id = 0;
  for (const auto& c : emu->calls("sendMessage"))
    if (c.params.value("chat_id", int64_t{0}) == admin) options_id = c.message_id;
  ASSERT_NE(options_id, 0);
  emu->push_callback(admin, options_id, callback_of(options, "Send"));
  auto edits_of_progress = [&] {
    std::vector<std::string> texts;
    for (const auto& c : emu->calls("editMessageText"))
      if (c.params.value("chat_id", int64_t{0}) == admin &&
          c.params.value("message_id", int64_t{0}) == options_id && c.status == 200)
        texts.push_back(c.params.value("text", ""));
    return texts;
  };
  // No further press: the broadcaster edits the message until it is done.
  ASSERT_TRUE(eventually(
      [&] {
        auto texts = edits_of_progress();
        return !texts.empty() && texts.back().find(": done") != std::string::npos;
      },
      15s))
      << (edits_of_progress().empty() ? "no edit" : edits_of_progress().back());
  auto texts = edits_of_progress();
  ASSERT_GE(texts.size(), 2u) << "the press's edit, then the broadcaster's";
  EXPECT_NE(texts.front().find(": sending"), std::string::npos) << texts.front();
  EXPECT_NE(texts.back().find("Sent: 7"), std::string::npos) << texts.back();
  EXPECT_NE(texts.back().find("Left: 0"), std::string::npos) << texts.back();
  EXPECT_EQ(buttons_of(emu->calls("editMessageText").back().params), "🔄 Refresh/« Back");
  // Each edit changed the text (Telegram refuses an edit that changes nothing).
  for (std::size_t i = 1; i < texts.size(); ++i) EXPECT_NE(texts[i], texts[i - 1]);
  EXPECT_EQ(bot->query("SELECT progress_message_id = " + std::to_string(options_id) +
                       " AND progress_text LIKE '%: done%' FROM broadcasts"),
            "t");
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(edits_of_progress().size(), texts.size()) << "a finished broadcast stays as it is";
}

TEST_F(TelegramAdminConversation, ALinkButtonIsTypedAndPreviewed) {
  start();
  emu->push_text(admin, "/admin");
  press(admin, nth("sendMessage", admin, 1), "Broadcast");
  nth("editMessageText", admin, 1);
  emu->push_text(admin, "Spring sale");
  nth("sendMessage", admin, 2);
  press(admin, nth("sendMessage", admin, 3), "Link button");
  EXPECT_NE(text("editMessageText", admin, 2).find("Send the button's link"), std::string::npos);
  EXPECT_EQ(awaiting(admin), "admin_broadcast_url");
  emu->push_text(admin, "ftp://example.com");
  EXPECT_EQ(text("sendMessage", admin, 4).rfind("🤔 That is not a link Telegram accepts", 0), 0u);
  EXPECT_EQ(awaiting(admin), "admin_broadcast_url");
  emu->push_text(admin, "https://example.com/sale Read more");
  auto preview = nth("sendMessage", admin, 5);
  EXPECT_EQ(preview["text"], "Spring sale");
  EXPECT_EQ(keyboard_of(preview)[0][0]["url"], "https://example.com/sale");
  EXPECT_EQ(keyboard_of(preview)[0][0]["text"], "Read more");
  EXPECT_NE(text("sendMessage", admin, 6).find("Button: <b>Read more → https://example.com/sale"),
            std::string::npos);
  EXPECT_EQ(awaiting(admin), "none");
  EXPECT_EQ(bot->query("SELECT count(*) FROM broadcasts"), "0");
}

TEST_F(TelegramAdminConversation, TheAdminScreensSpeakRussian) {
  start();
  emu->push_text(admin, "/admin", "ru");
  auto menu = nth("sendMessage", admin, 1);
  EXPECT_EQ(menu["text"], "🛠 <b>Админка</b>\n\nЧто сделать?");
  const std::string first_rows = "📊 Статистика|🔎 Найти пользователя/";
  const std::string last_rows =
      "📣 Рассылка|🎟 Промокоды/🏠 Главное меню";
  EXPECT_EQ(buttons_of(menu), first_rows + last_rows);
  press(admin, menu, "Статистика");
  EXPECT_NE(text("editMessageText", admin, 1).find("Пользователей: 1 (новых сегодня 1"),
            std::string::npos);
}

TEST_F(TelegramAdminConversation, PromoCodesAreCreatedListedAndDisabled) {
  start();
  emu->push_text(admin, "/start");
  auto menu = nth("sendMessage", admin, 1);
  sql("INSERT INTO promo_codes (code, kind, amount, currency) VALUES ('GIFT', 'balance_credit',"
      " 25000, 'RUB')");
  press(admin, menu, "Admin");
  press(admin, nth("editMessageText", admin, 1), "Promo codes");
  auto list = nth("editMessageText", admin, 2);
  EXPECT_NE(list["text"].get<std::string>().find("<code>GIFT</code> · balance_credit 250 ₽ · "
                                                 "uses 0/∞ · until — · plans * · active"),
            std::string::npos)
      << list["text"];
  EXPECT_EQ(buttons_of(list), "🚫 Disable GIFT/➕ New code|« Back");
  press(admin, list, "New code");
  EXPECT_NE(text("editMessageText", admin, 3).find("CODE kind amount"), std::string::npos);
  EXPECT_EQ(awaiting(admin), "admin_promo");

  emu->push_text(admin, "SPRING percent 120 uses=100");
  auto bad = nth("sendMessage", admin, 2);
  EXPECT_EQ(bad["text"].get<std::string>().rfind(
                "⚠️ Nothing created: amount: expected 1 to 99 percent.", 0),
            0u)
      << bad["text"];
  EXPECT_EQ(buttons_of(bad), "✖️ Cancel");
  emu->push_text(admin, "SPRING percent 20 uses=100 once until=2027-01-31 plans=nosuch");
  EXPECT_EQ(text("sendMessage", admin, 3).rfind("⚠️ Nothing created: plans: ", 0), 0u);
  EXPECT_EQ(bot->query("SELECT count(*) FROM promo_codes"), "1");
  EXPECT_EQ(awaiting(admin), "admin_promo");

  emu->push_text(admin, "SPRING percent 20 uses=100 once until=2027-01-31 plans=m1");
  auto created = nth("sendMessage", admin, 4);
  auto created_text = created["text"].get<std::string>();
  EXPECT_EQ(created_text.rfind("✅ Promo code <code>SPRING</code> created.", 0), 0u) << created_text;
  EXPECT_NE(created_text.find("<code>SPRING</code> · percent_off 20% · uses 0/100 · until Jan 31,"
                              " 2027 · plans m1 · active"),
            std::string::npos)
      << created_text;
  EXPECT_EQ(bot->query("SELECT kind || ' ' || amount || ' ' || uses_limit || ' ' || per_user_once"
                       " FROM promo_codes WHERE code = 'SPRING'"),
            "percent_off 20 100 true");
  EXPECT_EQ(awaiting(admin), "none");
  press(admin, created, "Disable SPRING");
  auto disabled = text("editMessageText", admin, 4);
  EXPECT_EQ(disabled.rfind("🚫 Promo code <code>SPRING</code> disabled.", 0), 0u) << disabled;
  EXPECT_NE(disabled.find("plans m1 · disabled"), std::string::npos) << disabled;
  EXPECT_EQ(bot->query("SELECT enabled FROM promo_codes WHERE code = 'SPRING'"), "f");
  EXPECT_EQ(bot->query("SELECT string_agg(action || ':' || subject || ':' || (details->>'admin'),"
                       " ' ' ORDER BY id) FROM audit_log"),
            "promo_code_create:promo:SPRING:3001 promo_code_disable:promo:SPRING:3001");
}

}  // namespace
}  // namespace vpnbot::testing_support
