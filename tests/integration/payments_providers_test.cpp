// CryptoBot, YooKassa, Robokassa and CoinGate end to end: the Buy button, the
// provider's invoice (through its emulator), the payer paying, the
// notification posted to the service's /pay/<provider>, "payment received",
// and the key from the 3x-ui emulator — plus redelivery, 100 concurrent
// deliveries, a webhook racing the watcher, tampered amounts, forged
// notifications and bad signatures, each checked in the database.

#include <gtest/gtest.h>

#include <thread>

#include "adapters/codec/hex.hpp"
#include "adapters/crypto/digest.hpp"
#include "adapters/db/ledger_repository.hpp"
#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/payments/coingate_emulator.hpp"
#include "adapters/emulators/payments/cryptobot_emulator.hpp"
#include "adapters/emulators/payments/robokassa_payer.hpp"
#include "adapters/emulators/payments/robokassa_xml_emulator.hpp"
#include "adapters/emulators/payments/yookassa_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "adapters/payments/json_fields.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/workers/payment_expiry.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t payer = 3001;
constexpr int64_t friend_id = 3002;
constexpr const char* coingate_secret = "cg-callback-secret";

// The consistency check of docs/ARCHITECTURE.md ("Payments"): rows that
// break an invariant; every count must be 0.
constexpr const char* broken_invariants =
    "SELECT (SELECT count(*) FROM payments p WHERE p.status = 'succeeded' AND p.purpose = 'plan'"
    "  AND (p.granted_expiry IS NULL OR (SELECT count(*) FROM jobs j"
    "       WHERE j.idempotency_key = 'payment:' || p.id::text) <> 1))"
    " + (SELECT count(*) FROM payments p WHERE p.status = 'succeeded' AND p.purpose = 'topup'"
    "  AND (SELECT count(*) FROM balance_ledger l WHERE l.ref = 'payment:' || p.id::text"
    "       AND l.reason = 'topup' AND l.user_id = p.user_id AND l.delta = p.amount) <> 1)"
    " + (SELECT count(*) FROM users u WHERE u.balance <> (SELECT coalesce(sum(l.delta), 0)"
    "    FROM balance_ledger l WHERE l.user_id = u.id))"
    // Refunds: never more than was paid; 'refunded' exactly when they add up.
    " + (SELECT count(*) FROM payments p WHERE (SELECT coalesce(sum(r.amount), 0)"
    "    FROM payment_refunds r WHERE r.payment_id = p.id) > p.amount"
    "    OR ((p.status = 'refunded') <> (p.amount = (SELECT coalesce(sum(r.amount), 0)"
    "    FROM payment_refunds r WHERE r.payment_id = p.id))))";

struct PaymentsProviders : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<xui_emulator> panel;
  std::unique_ptr<cryptobot_emulator> crypto;
  std::unique_ptr<yookassa_emulator> yoo;
  std::unique_ptr<robokassa_payer> robo;
  std::unique_ptr<robokassa_xml_emulator> robo_xml;
  std::unique_ptr<coingate_emulator> cg;
  std::unique_ptr<bot_harness> bot;
  uint16_t port = 0;

  void start(const std::function<void(config::settings&)>& adjust = {}) {
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<xui_emulator>();
    crypto = std::make_unique<cryptobot_emulator>();
    yoo = std::make_unique<yookassa_emulator>();
    robo = std::make_unique<robokassa_payer>("vpnshop", "pass-one", "pass-two", "sha256");
    robo_xml = std::make_unique<robokassa_xml_emulator>("vpnshop", "pass-two", "sha256");
    cg = std::make_unique<coingate_emulator>();
    auto s = bot_test_settings(url, *emu);
    auto p = panel_settings_for(*panel);
    p.public_host = "vpn.example.com";
    s.panels = {p};
    s.cryptobot.api_base = crypto->api_base();
    s.cryptobot.token = crypto->token();
    s.cryptobot.assets = "USDT,TON";
    s.yookassa.api_base = yoo->api_base();
    s.yookassa.shop_id = yoo->shop_id();
    s.yookassa.secret_key = yoo->secret_key();
    s.yookassa.check_source_ip = false;  // the emulator posts from 127.0.0.1
    s.robokassa.merchant_login = "vpnshop";
    s.robokassa.password1 = "pass-one";
    s.robokassa.password2 = "pass-two";
    s.robokassa.algorithm = "sha256";
    s.robokassa.op_state_base = robo_xml->base_url();
    s.coingate.api_base = cg->api_base();
    s.coingate.auth_token = cg->auth_token();
    s.coingate.callback_secret = coingate_secret;
    s.coingate.public_url = "https://vpn.example.com";
    s.payments.issue_interval = 100ms;
    s.payments.watch_interval = 1h;  // the watcher only where a test wants it
    if (adjust) adjust(s);
    bot = std::make_unique<bot_harness>(s);
    port = bot->http_port();
    ASSERT_NE(port, 0);
  }

  void TearDown() override {
    bot.reset();
    fresh_database::TearDown();
  }

  std::string q(const std::string& sql) { return bot->query(sql); }

  json nth(const std::string& method, std::size_t n) { return nth_call(*emu, method, n); }
  json offering(const std::string& method, std::size_t after, const std::string& label) {
    return call_offering(*emu, method, after, label);
  }

  // /start, Buy, 30 days, the method: returns our payment id.
  std::string order(int64_t user, const std::string& method_label,
                    const std::string& start_args = "") {
    auto before = emu->calls("sendMessage").size();
    emu->push_text(user, start_args.empty() ? "/start" : "/start " + start_args);
    auto menu = offering("sendMessage", before, "Buy");
    auto edits = emu->calls("editMessageText").size();
    emu->push_callback(user, 70, callback_of(menu, "Buy"));
    auto plans = nth("editMessageText", edits + 1);
    emu->push_callback(user, 70, callback_of(plans, "30 days"));
    auto methods = nth("editMessageText", edits + 2);
    emu->push_callback(user, 70, callback_of(methods, method_label));
    nth("editMessageText", edits + 3);  // the order screen
    return q("SELECT p.id FROM payments p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = " +
             std::to_string(user) + " ORDER BY p.created_at DESC LIMIT 1");
  }

  // The "tap to pay" message's URL button for this payment, once its
  // invoice is issued.
  std::string pay_url(int64_t user, const std::string& payment_id) {
    std::string found;
    EXPECT_TRUE(eventually(
        [&] {
          auto stored =
              q("SELECT coalesce(pay_url, '') FROM payments WHERE id = '" + payment_id + "'");
          if (stored.empty()) return false;
          for (const auto& c : emu->calls("sendMessage")) {
            if (c.params.value("chat_id", int64_t{0}) != user) continue;
            for (const auto& row : keyboard_of(c.params))
              for (const auto& b : row)
                if (b.value("url", "") == stored) found = stored;
          }
          return !found.empty();
        },
        15s))
        << "no pay button for payment " << payment_id;
    return found;
  }

  int messages_containing(int64_t user, const std::string& text) {
    int n = 0;
    for (const auto& c : emu->calls("sendMessage"))
      if (c.params.value("chat_id", int64_t{0}) == user &&
          c.params.value("text", "").find(text) != std::string::npos)
        ++n;
    return n;
  }

  http_result post_cryptobot(const cryptobot_emulator::delivery& d) {
    return http_call(
        port, "POST", "/pay/cryptobot", d.body,
        {{"Content-Type", "application/json"}, {"crypto-pay-api-signature", d.signature}});
  }

  http_result post_coingate(const std::string& body) {
    return http_call(port, "POST", "/pay/coingate", body,
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  // Our TTL runs out first: the payment_expiry worker's step, two hours on.
  void expire_payments_two_hours_on() {
    pqxx::connection c(url);
    pqxx::work tx(c);
    workers::expire_payments(tx, std::chrono::system_clock::now() + 2h, {});
    tx.commit();
  }

  std::string status_of(const std::string& payment_id) {
    return q("SELECT status FROM payments WHERE id = '" + payment_id + "'");
  }

  std::string coingate_outcome(const std::string& event_id) {
    return q(
        "SELECT coalesce(outcome, '') FROM webhook_events WHERE provider = 'coingate'"
        " AND event_id = '" +
        event_id + "'");
  }

  int64_t invoice_of(const std::string& payment_id) {
    return std::stoll(
        q("SELECT provider_payment_id FROM payments WHERE id = '" + payment_id + "'"));
  }
};

TEST_F(PaymentsProviders, CryptoBotBuyPayNotifyGrantsOnceAndDeliversTheKey) {
  start();
  auto id = order(payer, "CryptoBot");
  ASSERT_EQ(id.size(), 36u);
  auto url = pay_url(payer, id);
  // The invoice as CryptoBot holds it: our id as payload, the fiat price.
  auto inv = crypto->invoice(invoice_of(id));
  ASSERT_TRUE(inv);
  EXPECT_EQ((*inv)["payload"], id);
  EXPECT_EQ((*inv)["fiat"], "RUB");
  EXPECT_EQ((*inv)["accepted_assets"], "USDT,TON");
  EXPECT_EQ(url, (*inv)["bot_invoice_url"].get<std::string>());
  EXPECT_EQ(q("SELECT amount::text || currency FROM payments WHERE id = '" + id + "'"),
            std::to_string(std::stoll((*inv)["amount"].get<std::string>().substr(
                               0, (*inv)["amount"].get<std::string>().find('.'))) *
                           100) +
                "RUB");

  auto delivery = crypto->pay(invoice_of(id));
  auto r = post_cryptobot(delivery);
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  // The key: the client on the panel, the link and its QR code in Telegram.
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(messages_containing(payer, "vless://"), 1);
  int ours = 0;
  for (const auto& c : panel->clients(panel->options().inbound_id))
    if (c.email.rfind("tg", 0) == 0) ++ours;
  EXPECT_EQ(ours, 1);
  // A redelivery: 200, nothing more.
  EXPECT_EQ(post_cryptobot(delivery).status, 200);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE provider = 'cryptobot'"), "1");
  // A signed notification is kept whole: replays parse it again.
  EXPECT_EQ(q("SELECT (raw_body = convert_to($$" + delivery.body +
              "$$, 'UTF8') AND body_length = octet_length(raw_body)"
              " AND body_sha256 = sha256(raw_body))::text FROM webhook_events"),
            "true");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 1);
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CryptoBotTopUpCreditsTheBalanceOnce) {
  start();
  emu->push_text(payer, "/start");
  auto menu = nth("sendMessage", 1);
  emu->push_callback(payer, 70, callback_of(menu, "Balance"));
  auto balance = nth("editMessageText", 1);
  emu->push_callback(payer, 70, callback_of(balance, "Top up"));
  auto amounts = nth("editMessageText", 2);
  emu->push_callback(payer, 70, callback_of(amounts, "300 ₽"));
  auto methods = nth("editMessageText", 3);  // every fiat method configured
  emu->push_callback(payer, 70, callback_of(methods, "CryptoBot"));
  nth("editMessageText", 4);  // the order screen
  auto id =
      q("SELECT p.id FROM payments p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = " +
        std::to_string(payer));
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(q("SELECT purpose || ':' || provider || ':' || amount || currency FROM payments"),
            "topup:cryptobot:30000RUB");
  pay_url(payer, id);
  auto inv = crypto->invoice(invoice_of(id));
  ASSERT_TRUE(inv);
  EXPECT_EQ((*inv)["payload"], id);
  EXPECT_EQ((*inv)["amount"], "300.00");
  auto delivery = crypto->pay(invoice_of(id));
  EXPECT_EQ(post_cryptobot(delivery).status, 200);
  ASSERT_TRUE(eventually(
      [&] { return messages_containing(payer, "Your balance is now <b>300 ₽</b>") == 1; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = " + std::to_string(payer)), "30000");
  // A redelivery is a stored duplicate: no second credit.
  EXPECT_EQ(post_cryptobot(delivery).status, 200);
  EXPECT_EQ(q("SELECT count(*) || ':' || sum(delta) || ':' || min(reason) FROM balance_ledger"
              " WHERE ref = 'payment:" +
              id + "'"),
            "1:30000:topup");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "0");  // a top-up buys no key
  EXPECT_EQ(q(broken_invariants), "0");
  // The check does see a succeeded top-up that credited nothing.
  q("INSERT INTO payments (user_id, purpose, provider, amount, currency, status, finalized_at)"
    " SELECT id, 'topup', 'cryptobot', 500, 'RUB', 'succeeded', now() FROM users"
    " WHERE telegram_id = " +
    std::to_string(payer) + " RETURNING 1");
  EXPECT_EQ(q(broken_invariants), "1");
}

TEST_F(PaymentsProviders, HundredConcurrentDeliveriesOfOneNotificationHaveOneEffect) {
  start();
  // A referred payer: the referrer's bonus is the one ledger entry.
  emu->push_text(friend_id, "/start");
  ASSERT_TRUE(emu->wait_for_calls("sendMessage", 1, 10s));
  auto code = q("SELECT referral_code FROM users WHERE telegram_id = " + std::to_string(friend_id));
  auto id = order(payer, "CryptoBot", code);
  pay_url(payer, id);
  auto delivery = crypto->pay(invoice_of(id));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 100; ++i)
    threads.emplace_back([&] {
      if (post_cryptobot(delivery).status == 200) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 100);
  ASSERT_TRUE(eventually([&] { return status_of(id) == "succeeded"; }, 15s));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions WHERE status <> 'trial'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM balance_ledger"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events"), "1");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 1);
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, WebhookAndWatcherRacingOnOnePaymentHaveOneEffect) {
  start([](config::settings& s) {
    s.payments.watch_interval = 20ms;
    s.payments.watch_after = std::chrono::seconds(0);
  });
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  // The watcher is asking about the pending invoice every 20 ms (waited for:
  // on a busy machine a webhook could otherwise settle it before the first
  // ask, and there would be no race); the webhook arrives too.
  ASSERT_TRUE(eventually([&] { return crypto->calls("getInvoices") >= 1; }, 10s));
  auto delivery = crypto->pay(invoice_of(id));
  EXPECT_EQ(post_cryptobot(delivery).status, 200);
  ASSERT_TRUE(eventually([&] { return status_of(id) == "succeeded"; }, 15s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events"), "1");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 1);
}

TEST_F(PaymentsProviders, EventsThatAlwaysFailEndDeadAndDoNotStarveTheOnesBehindThem) {
  start([](config::settings& s) {
    s.payments.replay_interval = 20ms;
    s.payments.replay_attempts = 3;
  });
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  auto delivery = crypto->pay(invoice_of(id));
  // 60 stored YooKassa notifications whose re-read always fails (YooKassa
  // knows no such payment), then the paid invoice's notification, all cut
  // short before processing (as by a crash) a minute ago.
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto store = [&](const std::string& provider, const std::string& event_id,
                     const std::string& body) {
      tx.exec_params(
          "INSERT INTO webhook_events (provider, event_id, raw_body, signature_ok, received_at)"
          " VALUES ($1, $2, $3, true, now() - interval '1 minute')",
          provider, event_id, pqxx::binarystring(body));
    };
    for (int i = 0; i < 60; ++i) {
      json poison = {{"type", "notification"},
                     {"event", "payment.succeeded"},
                     {"object",
                      {{"id", "poison-" + std::to_string(i)},
                       {"status", "succeeded"},
                       {"paid", true},
                       {"amount", {{"value", "199.00"}, {"currency", "RUB"}}}}}};
      store("yookassa", "payment.succeeded:poison-" + std::to_string(i), poison.dump());
    }
    store("cryptobot", "invoice_paid:" + std::to_string(invoice_of(id)), delivery.body);
    tx.commit();
  }
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT outcome FROM webhook_events WHERE provider = 'cryptobot'"), "granted");
  ASSERT_TRUE(eventually(
      [&] {
        return q("SELECT count(*) FROM webhook_events WHERE provider = 'yookassa'"
                 " AND outcome = 'dead'") == "60";
      },
      15s));
  EXPECT_EQ(q("SELECT min(attempts) || '-' || max(attempts) FROM webhook_events"
              " WHERE provider = 'yookassa'"),
            "3-3");
  auto metrics = http_call(port, "GET", "/metrics", "", {});
  EXPECT_NE(metrics.body.find("outcome=\"dead\""), std::string::npos) << metrics.body;
}

TEST_F(PaymentsProviders, TheWatcherFinishesAPaymentWhoseNotificationNeverCame) {
  start([](config::settings& s) {
    s.payments.watch_interval = 50ms;
    s.payments.watch_after = std::chrono::seconds(0);
  });
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  crypto->pay(invoice_of(id));  // paid, but the webhook is lost
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(q("SELECT outcome FROM webhook_events WHERE event_id = 'invoice_paid:" +
              std::to_string(invoice_of(id)) + "'"),
            "granted");
}

// Money that comes after our TTL expired the payment, and whose notification
// is lost too: the watcher's late lookups find it at CryptoBot and at
// YooKassa and grant it once, by the late-payment path.
TEST_F(PaymentsProviders, LateMoneyWithoutANotificationIsFoundByTheWatcherAndGrantedOnce) {
  start([](config::settings& s) {
    s.payments.watch_interval = 50ms;
    s.payments.late_lookup_interval = 50ms;
  });
  auto crypto_id = order(payer, "CryptoBot");
  pay_url(payer, crypto_id);
  auto yoo_id = order(payer, "Bank card");
  pay_url(payer, yoo_id);
  expire_payments_two_hours_on();
  ASSERT_EQ(q("SELECT string_agg(status, ',') FROM payments"), "expired,expired");
  // Both payers pay what their provider still holds; both notifications are lost.
  crypto->pay(invoice_of(crypto_id));
  yoo->pay(q("SELECT provider_payment_id FROM payments WHERE id = '" + yoo_id + "'"));
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 2; }, 15s));
  EXPECT_EQ(q("SELECT string_agg(status, ',') FROM payments"), "succeeded,succeeded");
  EXPECT_EQ(q("SELECT string_agg(outcome, ',' ORDER BY provider) FROM webhook_events"),
            "granted_late,granted_late");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_paid_late'"), "2");
  std::this_thread::sleep_for(300ms);  // several more rounds: nothing more
  EXPECT_EQ(messages_containing(payer, "Payment received"), 2);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "2");
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CryptoBotInvoicePaidAfterOurTtlExpiredThePaymentIsGrantedOnce) {
  start();
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  expire_payments_two_hours_on();
  ASSERT_EQ(status_of(id), "expired");
  // Then the payer pays the invoice CryptoBot still holds.
  auto delivery = crypto->pay(invoice_of(id));
  EXPECT_EQ(post_cryptobot(delivery).status, 200);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT outcome FROM webhook_events WHERE provider = 'cryptobot'"), "granted_late");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_paid_late'"
              " AND subject = 'payment:" +
              id + "'"),
            "1");
  // A redelivery is a stored duplicate, answered without processing.
  EXPECT_EQ(post_cryptobot(delivery).status, 200);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_paid_late'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events"), "1");
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CryptoBotWrongSignatureIs401AndChangesNothing) {
  start();
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  auto delivery = crypto->pay(invoice_of(id));
  auto forged = delivery;
  forged.signature = cryptobot_emulator("1:other-token").sign(delivery.body).signature;
  auto r = post_cryptobot(forged);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(json::parse(r.body).value("error", ""), "unauthorized") << r.body;
  auto missing = http_call(port, "POST", "/pay/cryptobot", delivery.body,
                           {{"Content-Type", "application/json"}});
  EXPECT_EQ(missing.status, 401);
  auto garbage = crypto->sign("{not json");
  EXPECT_EQ(post_cryptobot(garbage).status, 400);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "pending");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "0");
  // Both rejected requests were kept for the audit trail, marked unverified.
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE NOT signature_ok"), "2");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE signature_ok"), "0");
}

// Anyone can post to /pay/*: what failed its check is kept only in part.
TEST_F(PaymentsProviders, AnUnsignedBodyIsKeptOnlyInPartWithItsLengthAndDigest) {
  start();
  auto body = R"({"update_type":"invoice_paid","padding":")" + std::string(20000, 'A') + "\"}";
  http_result r;
  ASSERT_TRUE(eventually(  // once the route is registered
      [&] {
        r = http_call(port, "POST", "/pay/cryptobot", body, {{"Content-Type", "application/json"}});
        return r.status != 404;
      },
      15s));
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(q("SELECT octet_length(raw_body) FROM webhook_events"), "4096");
  EXPECT_EQ(q("SELECT encode(raw_body, 'escape') FROM webhook_events"), body.substr(0, 4096));
  EXPECT_EQ(q("SELECT body_length FROM webhook_events"), std::to_string(body.size()));
  EXPECT_EQ(q("SELECT encode(body_sha256, 'hex') FROM webhook_events"),
            codec::hex_encode(crypto::digest(crypto::hash_algorithm::sha256, body)));
}

// A stranger's failures cost a little storage, then only a 429; each route
// has its own budget, and a correct notification still gets through.
TEST_F(PaymentsProviders, FailedNotificationsBeyondTheLimitAre429AndNotStored) {
  start([](config::settings& s) { s.payments.webhook_failures_per_minute = 3; });
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  std::vector<int> statuses;
  http_result last;
  for (int i = 0; i < 6; ++i) {
    last = http_call(port, "POST", "/pay/cryptobot", R"({"forged":)" + std::to_string(i) + "}",
                     {{"Content-Type", "application/json"}});
    statuses.push_back(last.status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{401, 401, 401, 429, 429, 429}));
  EXPECT_EQ(json::parse(last.body).value("error", ""), "too_many_requests") << last.body;
  EXPECT_EQ(last.headers["retry-after"], "60");
  EXPECT_EQ(post_cryptobot(crypto->sign("{not json")).status, 429);  // malformed fails too
  auto other_route = http_call(port, "POST", "/pay/robokassa", "OutSum=1&InvId=1&SignatureValue=x",
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(other_route.status, 401) << other_route.body;
  EXPECT_EQ(post_cryptobot(crypto->pay(invoice_of(id))).status, 200);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE NOT signature_ok"), "4");
  auto metrics = http_call(port, "GET", "/metrics").body;
  EXPECT_NE(metrics.find(
                R"(vpnbot_payment_webhooks_total{provider="cryptobot",outcome="rate_limited"} 4)"),
            std::string::npos);
}

TEST_F(PaymentsProviders, TamperedAmountIsFlaggedNotGranted) {
  start();
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  auto delivery = crypto->pay(invoice_of(id));
  // Correctly signed, but for one rouble: a mismatch for the operator.
  auto body = json::parse(delivery.body);
  body["payload"]["amount"] = "1.00";
  auto r = post_cryptobot(crypto->sign(body.dump()));
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(eventually([&] { return status_of(id) == "mismatch"; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'payment:%'"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_mismatch'"), "1");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 0);
}

TEST_F(PaymentsProviders, YooKassaBuyPayNotifyRereadsThePaymentAndGrantsOnce) {
  start();
  auto id = order(payer, "Bank card");
  auto url = pay_url(payer, id);
  auto yk = q("SELECT provider_payment_id FROM payments WHERE id = '" + id + "'");
  auto created = yoo->payment(yk);
  ASSERT_TRUE(created);
  EXPECT_EQ((*created)["metadata"]["payment_id"], id);
  EXPECT_EQ(url, (*created)["confirmation"]["confirmation_url"].get<std::string>());
  // A forged "succeeded" for a payment YooKassa still has pending: the
  // re-read says pending, so nothing is granted.
  auto forged = json::parse(yoo->notification("payment.waiting_for_capture", yk));
  forged["event"] = "payment.succeeded";
  forged["object"]["status"] = "succeeded";
  forged["object"]["paid"] = true;
  EXPECT_EQ(http_call(port, "POST", "/pay/yookassa", forged.dump(),
                      {{"Content-Type", "application/json"}})
                .status,
            200);
  ASSERT_TRUE(eventually(
      [&] {
        return q("SELECT outcome FROM webhook_events WHERE provider = 'yookassa'") == "not_final";
      },
      15s));
  EXPECT_EQ(status_of(id), "pending");

  // Paid for real: the same event id, redelivered — its last processing
  // found the payment not final, so it is read back again and granted.
  auto paid = yoo->pay(yk);
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(http_call(port, "POST", "/pay/yookassa", paid, {{"Content-Type", "application/json"}})
                  .status,
              200);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 1);
}

TEST_F(PaymentsProviders, YooKassaPaidNotificationGrantsOnceAndCancellationFails) {
  start();
  auto id = order(payer, "Bank card");
  pay_url(payer, id);
  auto yk = q("SELECT provider_payment_id FROM payments WHERE id = '" + id + "'");
  EXPECT_EQ(yoo->created_payments(), 1);
  auto paid = yoo->pay(yk);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(http_call(port, "POST", "/pay/yookassa", paid, {{"Content-Type", "application/json"}})
                  .status,
              200);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");

  // A second order, canceled by YooKassa: failed, and the user told once.
  auto second = order(payer, "Bank card");
  pay_url(payer, second);
  auto yk2 = q("SELECT provider_payment_id FROM payments WHERE id = '" + second + "'");
  auto canceled = yoo->cancel(yk2);
  EXPECT_EQ(
      http_call(port, "POST", "/pay/yookassa", canceled, {{"Content-Type", "application/json"}})
          .status,
      200);
  ASSERT_TRUE(eventually([&] { return status_of(second) == "failed"; }, 15s));
  // The message was queued with the status; it leaves a moment later.
  EXPECT_TRUE(
      eventually([&] { return messages_containing(payer, "did not go through") == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(messages_containing(payer, "did not go through"), 1);
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, YooKassaRefundIsTakenOnlyFromYooKassasOwnRecordAndTakesBackItsShare) {
  start();
  auto id = order(payer, "Bank card");
  pay_url(payer, id);
  auto yk = q("SELECT provider_payment_id FROM payments WHERE id = '" + id + "'");
  EXPECT_EQ(
      http_call(port, "POST", "/pay/yookassa", yoo->pay(yk), {{"Content-Type", "application/json"}})
          .status,
      200);
  ASSERT_TRUE(eventually([&] { return status_of(id) == "succeeded"; }, 15s));
  auto post = [&](const std::string& body) {
    return http_call(port, "POST", "/pay/yookassa", body, {{"Content-Type", "application/json"}})
        .status;
  };
  auto outcome_of = [&](const std::string& refund_id) {
    return q(
        "SELECT coalesce(outcome, '') FROM webhook_events WHERE event_id = 'refund.succeeded:" +
        refund_id + "'");
  };
  // A forged refund YooKassa never made: its GET /refunds/{id} is a 404.
  json forged = {{"type", "notification"},
                 {"event", "refund.succeeded"},
                 {"object",
                  {{"id", "2167ffff-0016-5000-a000-00000000ffff"},
                   {"payment_id", yk},
                   {"status", "succeeded"},
                   {"amount", {{"value", "199.00"}, {"currency", "RUB"}}}}}};
  EXPECT_EQ(post(forged.dump()), 200);
  ASSERT_TRUE(eventually(
      [&] { return outcome_of("2167ffff-0016-5000-a000-00000000ffff") == "unknown_refund"; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  // A real refund still pending at YooKassa, announced as succeeded.
  auto pending = json::parse(yoo->refund(yk, "pending"));
  auto pending_id = pending["object"]["id"].get<std::string>();
  pending["object"]["status"] = "succeeded";
  EXPECT_EQ(post(pending.dump()), 200);
  ASSERT_TRUE(eventually([&] { return outcome_of(pending_id) == "not_final"; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  // A partial refund YooKassa made (half): half of the 30 days is taken back
  // and the panel gets the earlier expiry; the payment stays succeeded.
  auto expiry = q("SELECT extract(epoch from expires_at)::bigint FROM subscriptions");
  auto half = yoo->refund(yk, "succeeded", "99.50");
  auto half_id = json::parse(half)["object"]["id"].get<std::string>();
  EXPECT_EQ(post(half), 200);
  ASSERT_TRUE(eventually([&] { return outcome_of(half_id) == "refunded"; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT " + expiry + " - extract(epoch from expires_at)::bigint FROM subscriptions"),
            std::to_string(15 * 86400));
  EXPECT_EQ(q("SELECT payload->>'expires_at' = to_char((SELECT expires_at FROM subscriptions)"
              " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM jobs"
              " WHERE kind = 'extend_client'"),
            "t");
  EXPECT_EQ(q(broken_invariants), "0");
  // The rest: refunded, once; the subscription has ended.
  auto real = yoo->refund(yk, "succeeded", "99.50");
  auto real_id = json::parse(real)["object"]["id"].get<std::string>();
  EXPECT_EQ(post(real), 200);
  ASSERT_TRUE(eventually([&] { return outcome_of(real_id) == "refunded"; }, 15s));
  EXPECT_EQ(post(real), 200);
  EXPECT_EQ(status_of(id), "refunded");
  EXPECT_EQ(q("SELECT status FROM subscriptions"), "expired");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'disable_client'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "2");
  EXPECT_EQ(
      q("SELECT count(*) FROM webhook_events WHERE event_id = 'refund.succeeded:" + real_id + "'"),
      "1");
  EXPECT_EQ(q(broken_invariants), "0");
  int gets = 0;
  for (const auto& r : yoo->server().requests())
    if (r.method == "GET" && r.path.rfind("/v3/refunds/", 0) == 0) ++gets;
  EXPECT_EQ(gets, 4);
}

TEST_F(PaymentsProviders, YooKassaNotificationsFromOutsideTheAllowListAre401) {
  start([](config::settings& s) { s.yookassa.check_source_ip = true; });
  auto id = order(payer, "Bank card");
  pay_url(payer, id);
  auto yk = q("SELECT provider_payment_id FROM payments WHERE id = '" + id + "'");
  auto r = http_call(port, "POST", "/pay/yookassa", yoo->pay(yk),
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 401) << r.body;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "pending");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE NOT signature_ok"), "1");
}

// Behind a reverse proxy on 127.0.0.1 the socket peer is the proxy; the
// address it forwards is the one checked, read from the right, so a client
// writing YooKassa's address further left gains nothing.
TEST_F(PaymentsProviders, YooKassaBehindATrustedProxyIsCheckedByTheForwardedAddress) {
  start([](config::settings& s) {
    s.yookassa.check_source_ip = true;
    s.http.trusted_proxies = {"127.0.0.1/32", "::1/128"};
  });
  auto id = order(payer, "Bank card");
  pay_url(payer, id);
  auto yk = q("SELECT provider_payment_id FROM payments WHERE id = '" + id + "'");
  auto paid = yoo->pay(yk);
  auto post = [&](const std::string& forwarded_for) {
    return http_call(port, "POST", "/pay/yookassa", paid,
                     {{"Content-Type", "application/json"}, {"X-Forwarded-For", forwarded_for}});
  };
  auto spoofed = post("185.71.76.5, 203.0.113.9");
  EXPECT_EQ(spoofed.status, 401) << spoofed.body;
  auto through_proxy = post("203.0.113.9, 185.71.76.5");
  EXPECT_EQ(through_proxy.status, 200) << through_proxy.body;
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT headers->>'remote_address' || ' via ' || (headers->>'proxy_address')"
              " FROM webhook_events WHERE signature_ok"),
            "185.71.76.5 via 127.0.0.1");
}

TEST_F(PaymentsProviders, ForwardedAddressesFromAPeerNotTrustedAreIgnored) {
  start([](config::settings& s) {
    s.yookassa.check_source_ip = true;
    s.http.trusted_proxies = {"10.0.0.0/8"};
  });
  auto id = order(payer, "Bank card");
  pay_url(payer, id);
  auto yk = q("SELECT provider_payment_id FROM payments WHERE id = '" + id + "'");
  auto r = http_call(port, "POST", "/pay/yookassa", yoo->pay(yk),
                     {{"Content-Type", "application/json"},
                      {"X-Forwarded-For", "185.71.76.5"},
                      {"X-Real-IP", "185.71.76.5"}});
  EXPECT_EQ(r.status, 401) << r.body;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "pending");
}

// Robokassa's ResultURL never comes: the watcher asks OpStateExt. An
// invoice Robokassa does not know yet (the payer never opened the page) or
// still holds changes nothing; a paid one is granted once, and the ResultURL
// arriving after that is a duplicate. A cancelled one fails its payment;
// one paid after our TTL expired it is found by the late lookups.
TEST_F(PaymentsProviders, RobokassaInvoicesWhoseResultUrlNeverCameAreAskedAboutByTheWatcher) {
  start([](config::settings& s) {
    s.payments.watch_interval = 50ms;
    s.payments.watch_after = std::chrono::seconds(0);
    s.payments.late_lookup_interval = 50ms;
  });
  auto paid = order(payer, "Robokassa");
  auto link = robo->open_link(pay_url(payer, paid));
  ASSERT_TRUE(link);
  auto number = std::stoll(q("SELECT number FROM payments WHERE id = '" + paid + "'"));
  EXPECT_EQ(q("SELECT provider_payment_id FROM payments WHERE id = '" + paid + "'"),
            std::to_string(number));
  ASSERT_TRUE(eventually([&] { return robo_xml->calls() >= 3; }, 10s));  // unknown: nothing
  robo_xml->set_state(number, 50, (*link)["OutSum"]);                    // being credited
  auto calls = robo_xml->calls();
  ASSERT_TRUE(eventually([&] { return robo_xml->calls() >= calls + 3; }, 10s));
  EXPECT_EQ(status_of(paid), "pending");
  robo_xml->set_state(number, 100, (*link)["OutSum"]);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(status_of(paid), "succeeded");
  EXPECT_EQ(q("SELECT event_id || ':' || outcome FROM webhook_events"),
            "result:" + std::to_string(number) + ":granted");
  auto late_result = http_call(port, "POST", "/pay/robokassa", robo->result_body(*link),
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(late_result.status, 200);
  EXPECT_EQ(late_result.body, "OK" + std::to_string(number));

  auto canceled = order(payer, "Robokassa");
  pay_url(payer, canceled);
  auto canceled_number = std::stoll(q("SELECT number FROM payments WHERE id = '" + canceled + "'"));
  robo_xml->set_state(canceled_number, 10, "199.00");
  ASSERT_TRUE(eventually([&] { return status_of(canceled) == "failed"; }, 15s));

  auto late = order(payer, "Robokassa");
  auto late_link = robo->open_link(pay_url(payer, late));
  ASSERT_TRUE(late_link);
  expire_payments_two_hours_on();
  ASSERT_EQ(status_of(late), "expired");
  robo_xml->set_state(std::stoll(q("SELECT number FROM payments WHERE id = '" + late + "'")), 100,
                      (*late_link)["OutSum"]);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 2; }, 15s));
  EXPECT_EQ(status_of(late), "succeeded");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(messages_containing(payer, "Payment received"), 2);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "2");
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, RobokassaSignedLinkResultUrlGrantsOnceAndAnswersOkInvId) {
  start();
  auto id = order(payer, "Robokassa");
  auto link = robo->open_link(pay_url(payer, id));
  ASSERT_TRUE(link) << "the link's signature did not check out with password #1";
  EXPECT_EQ((*link)["Shp_payment"], id);
  auto number = q("SELECT number FROM payments WHERE id = '" + id + "'");
  EXPECT_EQ((*link)["InvId"], number);
  auto body = robo->result_body(*link);
  EXPECT_NE(body.find("OutSum=" + (*link)["OutSum"] + "0000"), std::string::npos) << body;

  // A wrong password #2: 401, nothing changes.
  auto forged = robokassa_payer("vpnshop", "pass-one", "wrong", "sha256").result_body(*link);
  auto bad = http_call(port, "POST", "/pay/robokassa", forged,
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(bad.status, 401);
  for (int i = 0; i < 2; ++i) {
    auto r = http_call(port, "POST", "/pay/robokassa", body,
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "OK" + number);
  }
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE signature_ok"), "1");
  EXPECT_EQ(q(broken_invariants), "0");
}

// Robokassa may call ResultURL with GET, the form in the query string; the
// query is what is stored, so a replay verifies it like a POSTed body.
TEST_F(PaymentsProviders, RobokassaResultUrlByGetGrantsOnceAndIsCheckedLikeAPost) {
  start();
  auto id = order(payer, "Robokassa");
  auto link = robo->open_link(pay_url(payer, id));
  ASSERT_TRUE(link);
  auto number = q("SELECT number FROM payments WHERE id = '" + id + "'");
  auto form = robo->result_body(*link);

  // A wrong password #2: the same refusal as for a POST, nothing granted.
  auto forged = robokassa_payer("vpnshop", "pass-one", "wrong", "sha256").result_body(*link);
  auto bad_post = http_call(port, "POST", "/pay/robokassa", forged,
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
  auto bad_get = http_call(port, "GET", "/pay/robokassa?" + forged);
  EXPECT_EQ(bad_post.status, 401);
  EXPECT_EQ(bad_get.status, bad_post.status);
  EXPECT_EQ(bad_get.body, bad_post.body);
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE NOT signature_ok"), "2");
  EXPECT_EQ(status_of(id), "pending");

  for (int i = 0; i < 2; ++i) {
    auto r = http_call(port, "GET", "/pay/robokassa?" + form);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, "OK" + number);
  }
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT convert_from(raw_body, 'UTF8') FROM webhook_events WHERE signature_ok"),
            form);
  EXPECT_EQ(q(broken_invariants), "0");
}

// A long Russian plan title reaches each provider as valid UTF-8 within its
// limit in characters; a cut at byte 100 (Robokassa) or 128 (YooKassa)
// would split a letter of this title.
TEST_F(PaymentsProviders, ALongRussianPlanTitleIsCutBetweenCharactersForEachProvider) {
  start();
  const std::string title =
      "30 days: быстрый и надёжный доступ к серверам Европы и Азии без ограничений скорости, "
      "трафика и числа устройств";
  ASSERT_EQ(payments::utf8_length(title), 111u);
  q("UPDATE plans SET titles = jsonb_build_object('en', '" + title + "', 'ru', '" + title +
    "') WHERE code = 'm1'");

  auto id = order(payer, "Robokassa");
  auto link = robo->open_link(pay_url(payer, id));
  ASSERT_TRUE(link);
  auto cut = (*link)["Description"];
  EXPECT_TRUE(telegram::telegram_length(cut)) << "the Description is not valid UTF-8";
  EXPECT_EQ(payments::utf8_length(cut), 100u);
  EXPECT_TRUE(title.starts_with(cut)) << cut;

  order(payer, "Bank card");
  ASSERT_TRUE(eventually([&] { return yoo->create_calls() == 1; }, 15s))
      << "YooKassa was never asked to create the payment";
  std::string body;
  for (const auto& r : yoo->server().requests())
    if (r.method == "POST" && r.path == "/v3/payments") body = r.body;
  ASSERT_TRUE(telegram::telegram_length(body)) << "the request body is not valid UTF-8";
  auto description = json::parse(body)["description"].get<std::string>();
  EXPECT_EQ(description, title);  // 111 characters: within YooKassa's 128
}

TEST_F(PaymentsProviders, SignedNotificationsForPaymentsNotOursAreAcknowledgedAndChangeNothing) {
  start();
  auto id = order(payer, "CryptoBot");
  pay_url(payer, id);
  auto paid = json::parse(crypto->pay(invoice_of(id)).body);
  auto status = [&](const std::string& event_id) {
    return q("SELECT coalesce(outcome, '') FROM webhook_events WHERE event_id = '" + event_id +
             "'");
  };
  // CryptoBot, correctly signed: a payload that is no payment id, then one
  // that is a well-formed id we never issued; each under its own invoice.
  int64_t invoice = 900000;
  for (std::string payload : {"someone-elses-order", "00000000-0000-4000-8000-000000000001"}) {
    auto body = paid;
    body["payload"]["invoice_id"] = ++invoice;
    body["payload"]["payload"] = payload;
    auto r = post_cryptobot(crypto->sign(body.dump()));
    EXPECT_EQ(r.status, 200) << r.body;
    auto event = "invoice_paid:" + std::to_string(invoice);
    ASSERT_TRUE(eventually([&] { return status(event) == "unknown_payment"; }, 15s)) << payload;
  }
  // Robokassa, signed with password #2: an InvId we never issued, and our
  // InvId carrying another payment id.
  auto robokassa_id = order(payer, "Robokassa");
  auto link = robo->open_link(pay_url(payer, robokassa_id));
  ASSERT_TRUE(link);
  auto unknown = *link;
  unknown["InvId"] = "987654";
  auto other = *link;
  other["Shp_payment"] = "00000000-0000-4000-8000-000000000002";
  for (const auto& fields : {unknown, other}) {
    auto r = http_call(port, "POST", "/pay/robokassa", robo->result_body(fields),
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "OK" + fields.at("InvId"));
  }
  ASSERT_TRUE(eventually(
      [&] {
        return q("SELECT count(*) FROM webhook_events WHERE provider = 'robokassa'"
                 " AND outcome = 'unknown_payment'") == "2";
      },
      15s));
  EXPECT_EQ(q("SELECT string_agg(status, ',' ORDER BY created_at) FROM payments"),
            "pending,pending");
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "0");
  EXPECT_EQ(q("SELECT count(*) FROM balance_ledger"), "0");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 0);
}

TEST_F(PaymentsProviders, BuyingFromTheBalanceDebitsOnceOrIsRefusedWhenShort) {
  start();
  emu->push_text(payer, "/start");
  ASSERT_TRUE(emu->wait_for_calls("sendMessage", 1, 10s));
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto user = std::stoll(q("SELECT id FROM users WHERE telegram_id = " + std::to_string(payer)));
    ASSERT_EQ(db::post_ledger_entry(tx, user, 25000, "RUB", "admin_adjustment", "gift:1"),
              db::ledger_outcome::applied);
    tx.commit();
  }
  auto id = order(payer, "From balance");
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(q("SELECT provider || ':' || status FROM payments WHERE id = '" + id + "'"),
            "balance:succeeded");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = " + std::to_string(payer)), "5100");
  // 51 roubles left; the plan costs 199: refused, nothing but a failed payment.
  auto second = order(payer, "From balance");
  EXPECT_EQ(status_of(second), "failed");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = " + std::to_string(payer)), "5100");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'payment:%'"), "1");
  EXPECT_NE(emu->calls("editMessageText").back().params.value("text", "").find("Not enough money"),
            std::string::npos);
  EXPECT_EQ(q(broken_invariants), "0");
}

// CoinGate: the order carries our id, the plan price and a token derived
// for it; a callback is checked by that token and then only read back.
TEST_F(PaymentsProviders, CoinGateBuyPayCallbackReadsTheOrderBackAndGrantsOnce) {
  start();
  auto id = order(payer, "CoinGate");
  ASSERT_EQ(id.size(), 36u);
  auto url = pay_url(payer, id);
  auto oid = invoice_of(id);
  auto created = cg->order(oid);
  ASSERT_TRUE(created);
  EXPECT_EQ((*created)["order_id"], id);
  EXPECT_EQ((*created)["price_amount"], "199.00");
  EXPECT_EQ((*created)["price_currency"], "RUB");
  EXPECT_EQ((*created)["receive_currency"], "DO_NOT_CONVERT");
  EXPECT_EQ((*created)["callback_url"], "https://vpn.example.com/pay/coingate");
  EXPECT_EQ((*created)["token"],
            codec::hex_encode(
                crypto::hmac(crypto::hash_algorithm::sha256, coingate_secret, "coingate:" + id)));
  EXPECT_EQ(url, (*created)["payment_url"].get<std::string>());
  auto requests = cg->server().requests();
  const auto* auth = requests.front().header("authorization");
  ASSERT_TRUE(auth);
  EXPECT_EQ(*auth, "Token " + cg->auth_token());

  // A forged "paid" with the right token while CoinGate still says new:
  // the read-back says pending, so nothing is granted.
  auto forged = cg->callback(oid);
  auto at = forged.find("status=new");
  ASSERT_NE(at, std::string::npos);
  forged.replace(at, 10, "status=paid");
  EXPECT_EQ(post_coingate(forged).status, 200);
  auto event = "order.paid:" + std::to_string(oid);
  ASSERT_TRUE(eventually([&] { return coingate_outcome(event) == "not_final"; }, 15s));
  EXPECT_EQ(status_of(id), "pending");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 0);

  // Paid for real: the same event, delivered twice, is read back and granted once.
  auto paid = cg->pay(oid);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(post_coingate(paid).status, 200);
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(messages_containing(payer, "vless://"), 1);
  EXPECT_EQ(coingate_outcome(event), "granted");
  // A replay once it is granted: 200 and nothing more.
  EXPECT_EQ(post_coingate(paid).status, 200);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(q("SELECT status || ':' || provider_payment_id FROM payments WHERE id = '" + id + "'"),
            "succeeded:" + std::to_string(oid));
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE idempotency_key = 'payment:" + id + "'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE provider = 'coingate'"), "1");
  EXPECT_EQ(messages_containing(payer, "Payment received"), 1);
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CoinGateCallbackWithAWrongTokenIs401AndChangesNothing) {
  start();
  auto id = order(payer, "CoinGate");
  pay_url(payer, id);
  auto oid = invoice_of(id);
  auto paid = cg->pay(oid);
  auto at = paid.find("token=");
  ASSERT_NE(at, std::string::npos);
  paid[at + 6] = paid[at + 6] == 'a' ? 'b' : 'a';
  auto r = post_coingate(paid);
  EXPECT_EQ(r.status, 401) << r.body;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "pending");
  EXPECT_EQ(
      q("SELECT count(*) FROM webhook_events WHERE provider = 'coingate' AND NOT signature_ok"),
      "1");
  EXPECT_EQ(q("SELECT count(*) FROM webhook_events WHERE signature_ok"), "0");
  EXPECT_EQ(cg->get_calls(), 0);  // nothing was read back
  EXPECT_EQ(messages_containing(payer, "Payment received"), 0);
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CoinGateExpiredOrderFailsThePaymentAndTellsTheUserOnce) {
  start();
  auto id = order(payer, "CoinGate");
  pay_url(payer, id);
  auto expired = cg->move(invoice_of(id), "expired");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(post_coingate(expired).status, 200);
  ASSERT_TRUE(eventually([&] { return status_of(id) == "failed"; }, 15s));
  EXPECT_TRUE(
      eventually([&] { return messages_containing(payer, "did not go through") == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(messages_containing(payer, "did not go through"), 1);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), "0");
  EXPECT_EQ(q(broken_invariants), "0");
}

// A lost callback is found by the watcher; so is money that came after our
// TTL expired the payment, by the late lookups.
TEST_F(PaymentsProviders, CoinGateLostCallbacksAreFoundByTheWatcherAndGrantedOnce) {
  start([](config::settings& s) {
    s.payments.watch_interval = 50ms;
    s.payments.watch_after = std::chrono::seconds(0);
    s.payments.late_lookup_interval = 50ms;
  });
  auto id = order(payer, "CoinGate");
  pay_url(payer, id);
  cg->pay(invoice_of(id));  // paid, but the callback is lost
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 1; }, 15s));
  EXPECT_EQ(coingate_outcome("order.paid:" + std::to_string(invoice_of(id))), "granted");

  auto late = order(payer, "CoinGate");
  pay_url(payer, late);
  expire_payments_two_hours_on();
  ASSERT_EQ(status_of(late), "expired");
  cg->pay(invoice_of(late));
  ASSERT_TRUE(eventually([&] { return messages_containing(payer, "Payment received") == 2; }, 15s));
  EXPECT_EQ(coingate_outcome("order.paid:" + std::to_string(invoice_of(late))), "granted_late");
  std::this_thread::sleep_for(300ms);  // several more rounds: nothing more
  EXPECT_EQ(messages_containing(payer, "Payment received"), 2);
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'payment_paid_late'"), "1");
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CoinGateRefundedOrderIsTakenBackOnce) {
  start();
  auto id = order(payer, "CoinGate");
  pay_url(payer, id);
  auto oid = invoice_of(id);
  EXPECT_EQ(post_coingate(cg->pay(oid)).status, 200);
  ASSERT_TRUE(eventually([&] { return status_of(id) == "succeeded"; }, 15s));
  auto refunded = cg->move(oid, "refunded");
  auto event = "order.refunded:" + std::to_string(oid);
  EXPECT_EQ(post_coingate(refunded).status, 200);
  ASSERT_TRUE(eventually([&] { return coingate_outcome(event) == "refunded"; }, 15s));
  EXPECT_EQ(post_coingate(refunded).status, 200);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(status_of(id), "refunded");
  EXPECT_EQ(q("SELECT refund_id || ':' || amount FROM payment_refunds"),
            "order:" + std::to_string(oid) + ":19900");
  EXPECT_EQ(q("SELECT status FROM subscriptions WHERE status <> 'trial'"), "expired");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'disable_client'"), "1");
  EXPECT_EQ(q(broken_invariants), "0");
}

TEST_F(PaymentsProviders, CoinGateServerErrorsOnCreateAreRetriedByTheIssuer) {
  start();
  cg->server().inject(fake_fault::respond_with(500, "", "/v2/orders"), 2);
  auto id = order(payer, "CoinGate");
  auto url = pay_url(payer, id);
  EXPECT_EQ(cg->create_calls(), 1);  // the two 500s never reached the handler
  EXPECT_EQ(cg->server().request_count(), 3u);
  EXPECT_EQ(cg->created_orders(), 1);
  EXPECT_EQ(url, (*cg->order(invoice_of(id)))["payment_url"].get<std::string>());
}

}  // namespace
}  // namespace vpnbot::testing_support
