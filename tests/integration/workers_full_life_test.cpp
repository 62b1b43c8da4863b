// Subscriptions' whole lives through the whole service, on each kind of
// panel (3x-ui's legacy API, 3x-ui 3.1, Remnawave): the Telegram emulator
// for every message, the panel's emulator for every panel call, the
// workers' clock moved by the test (iterations every 50 ms). Bought from the
// balance → key; two reminders, each once; auto-renewal from the balance →
// expiry moved on the panel; expiry → client disabled; bought again → the
// same client enabled; expired again and past retention → removed. A
// trial's life next to a paid one's, with every panel call counted.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/db/ledger_repository.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"
#include "support/panel_under_test.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
constexpr int64_t user = 6101;

struct WorkersFullLife : fresh_database, ::testing::WithParamInterface<panel_kind> {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<panel_under_test> panel;
  std::unique_ptr<bot_harness> bot;
  std::shared_ptr<std::atomic<int64_t>> shift = std::make_shared<std::atomic<int64_t>>(0);

  // retention: how long an ended subscription's client is kept.
  void start(std::chrono::hours retention = 30 * 24h) {
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<panel_under_test>(GetParam());
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel->panel_settings()};
    s.workers.interval = 50ms;
    s.workers.retention = retention;
    auto offset = shift;
    bot = std::make_unique<bot_harness>(s, [offset] {
      return std::chrono::system_clock::now() + std::chrono::seconds(offset->load());
    });
  }

  void TearDown() override {
    bot.reset();
    fresh_database::TearDown();
  }

  void move_to(std::chrono::seconds from_start) { shift->store(from_start.count()); }
  std::string q(const std::string& sql) { return bot->query(sql); }

  int messages(const std::string& text) {
    int n = 0;
    for (const auto& c : emu->calls("sendMessage"))
      if (c.params.value("chat_id", int64_t{0}) == user &&
          c.params.value("text", "").find(text) != std::string::npos)
        ++n;
    return n;
  }

  // The one message to the user containing `text` (fails when not exactly one).
  json the_message(const std::string& text) {
    std::vector<json> found;
    for (const auto& c : emu->calls("sendMessage"))
      if (c.params.value("chat_id", int64_t{0}) == user &&
          c.params.value("text", "").find(text) != std::string::npos)
        found.push_back(c.params);
    EXPECT_EQ(found.size(), 1u) << text;
    return found.empty() ? json::object() : found[0];
  }

  void gift(int64_t amount, const std::string& ref) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto id = std::stoll(q("SELECT id FROM users WHERE telegram_id = " + std::to_string(user)));
    ASSERT_EQ(db::post_ledger_entry(tx, id, amount, "RUB", "admin_adjustment", ref),
              db::ledger_outcome::applied);
    tx.commit();
  }

  json nth(const std::string& method, std::size_t n) {
    EXPECT_TRUE(emu->wait_for_calls(method, n, 15s)) << "no call " << n << " of " << method;
    auto calls = emu->calls(method);
    return calls.size() >= n ? calls[n - 1].params : json::object();
  }

  void buy_from_balance() {
    auto sent = emu->calls("sendMessage").size();
    emu->push_text(user, "/start");
    auto menu = nth("sendMessage", sent + 1);
    auto edits = emu->calls("editMessageText").size();
    emu->push_callback(user, 70, callback_of(menu, "Buy"));
    emu->push_callback(user, 70, callback_of(nth("editMessageText", edits + 1), "30 days"));
    emu->push_callback(user, 70, callback_of(nth("editMessageText", edits + 2), "From balance"));
  }

  std::string email() { return q("SELECT client_email FROM subscriptions"); }
  int64_t expiry_ms() {
    return std::stoll(
        q("SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM subscriptions"));
  }
  // A column of the subscription of `kind` (trial, paid).
  std::string of(const std::string& kind, const std::string& column) {
    return q("SELECT " + column + " FROM subscriptions WHERE kind = '" + kind + "'");
  }
  int64_t expiry_ms(const std::string& kind) {
    return std::stoll(of(kind, "(extract(epoch FROM expires_at) * 1000)::bigint"));
  }
  std::chrono::seconds ends_in(const std::string& kind) {
    return std::chrono::seconds(
        std::stoll(of(kind, "extract(epoch FROM expires_at - now())::bigint")));
  }
  // The key of the subscription of `kind` as its message carries it: the
  // vless:// link with its UUID (3x-ui), the subscription URL (Remnawave).
  std::string key_of(const std::string& kind) {
    return panel->kind() == panel_kind::remnawave ? "https://sub.example.com/" + of(kind, "sub_id")
                                                  : "vless://" + of(kind, "client_uuid");
  }
  bool enabled(const std::string& email) {
    auto c = panel->client(email);
    return c && c->enable;
  }
  std::size_t calls(panel_call call) { return panel->call_count(call); }
  // Waits for `done`, then lets several more iterations run so a repeat
  // would show.
  bool settled(const std::function<bool()>& done) {
    if (!eventually(done, 15s)) return false;
    std::this_thread::sleep_for(400ms);
    return true;
  }
};

TEST_P(WorkersFullLife, BuyRemindRenewExpireEnableRemoveWithEveryCallAsserted) {
  start();
  emu->push_text(user, "/start");
  ASSERT_TRUE(emu->wait_for_calls("sendMessage", 1, 10s));
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto id = std::stoll(q("SELECT id FROM users WHERE telegram_id = " + std::to_string(user)));
    ASSERT_EQ(db::post_ledger_entry(tx, id, 60000, "RUB", "admin_adjustment", "gift:life"),
              db::ledger_outcome::applied);
    tx.commit();
  }

  // Bought: "payment received", the client on the panel, the key and its QR.
  buy_from_balance();
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  EXPECT_EQ(messages("Payment received"), 1);
  EXPECT_EQ(messages(key_of("paid")), 1);
  EXPECT_EQ(panel->call_count(panel_call::create), 1u);
  ASSERT_TRUE(panel->client(email()));
  EXPECT_EQ(panel->client(email())->expiry_time_ms, expiry_ms());

  // Three days before the end, then one day before: each reminder once.
  move_to(27 * 24h + 1h);
  ASSERT_TRUE(settled([&] { return messages("in 3 days") >= 1; }));
  EXPECT_EQ(messages("in 3 days"), 1);
  move_to(29 * 24h + 1h);
  ASSERT_TRUE(settled([&] { return messages("in 23 hours") >= 1; }));
  EXPECT_EQ(messages("in 23 hours"), 1);
  EXPECT_EQ(messages("Extend it now"), 2);

  // Auto-renewal from the balance: one notice, the panel's expiry moved on.
  auto updates = panel->call_count(panel_call::update);
  q("UPDATE subscriptions SET auto_renew = true");
  move_to(29 * 24h + 3h);
  ASSERT_TRUE(settled([&] { return messages("renewed from your balance") >= 1; }));
  EXPECT_EQ(messages("renewed from your balance"), 1);
  ASSERT_TRUE(
      eventually([&] { return panel->client(email())->expiry_time_ms == expiry_ms(); }, 15s));
  EXPECT_EQ(panel->call_count(panel_call::update), updates + 1);
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = " + std::to_string(user)), "20200");

  // It ends: one notice, the client disabled on the panel and kept.
  q("UPDATE subscriptions SET auto_renew = false");
  move_to(60 * 24h + 1h);
  ASSERT_TRUE(settled([&] { return messages("has ended and the key is paused") >= 1; }));
  EXPECT_EQ(messages("has ended and the key is paused"), 1);
  ASSERT_TRUE(eventually([&] { return !panel->client(email())->enable; }, 15s));
  EXPECT_EQ(panel->call_count(panel_call::update), updates + 2);

  // Bought again: the same client enabled with the new expiry.
  buy_from_balance();
  ASSERT_TRUE(eventually([&] { return messages("Payment received") == 2; }, 15s));
  ASSERT_TRUE(eventually(
      [&] {
        return panel->client(email())->enable &&
               panel->client(email())->expiry_time_ms == expiry_ms();
      },
      15s));
  EXPECT_EQ(panel->call_count(panel_call::create), 1u);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions"), "1");

  // Ended once more, then past the 30 days of retention: removed, once.
  auto end = std::chrono::seconds(
      std::stoll(q("SELECT extract(epoch FROM expires_at - now())::bigint FROM subscriptions")));
  move_to(end + 1h);
  ASSERT_TRUE(settled([&] { return messages("has ended and the key is paused") >= 2; }));
  ASSERT_TRUE(eventually([&] { return !panel->client(email())->enable; }, 15s));
  move_to(end + 31 * 24h);
  ASSERT_TRUE(settled([&] { return !panel->client(email()).has_value(); }));
  EXPECT_EQ(panel->call_count(panel_call::remove), 1u);
  EXPECT_EQ(messages("has ended and the key is paused"), 2);
  EXPECT_EQ(messages("Extend it now"), 2);
  EXPECT_EQ(messages("renewed from your balance"), 1);
  EXPECT_EQ(
      q("SELECT string_agg(kind, ',' ORDER BY id) FROM jobs"),
      "create_client,extend_client,disable_client,extend_client,disable_client,remove_client");
}

// A trial's life and a paid renewal that the balance cannot cover: every
// notice once, each with the button that leads on (Buy, Top up).
TEST_P(WorkersFullLife, TrialEndsThenAShortBalanceIsToldOnceWithTheirButtons) {
  start();
  emu->push_text(user, "/start");
  auto menu = nth("sendMessage", 1);
  emu->push_callback(user, 70, callback_of(menu, "Free trial"));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  auto trial_email = email();
  ASSERT_TRUE(panel->client(trial_email));

  // A day before the trial's end: one notice offering plans.
  move_to(2 * 24h + 1h);
  ASSERT_TRUE(settled([&] { return messages("Your free trial ends on") >= 1; }));
  auto ending = the_message("Your free trial ends on");
  EXPECT_NE(buttons_of(ending).find("Buy"), std::string::npos) << buttons_of(ending);

  // Ended: one notice, the client disabled and kept.
  move_to(3 * 24h + 1h);
  ASSERT_TRUE(settled([&] { return messages("Your free trial has ended") >= 1; }));
  auto ended = the_message("Your free trial has ended");
  EXPECT_NE(buttons_of(ended).find("Buy"), std::string::npos) << buttons_of(ended);
  ASSERT_TRUE(eventually([&] { return !panel->client(trial_email)->enable; }, 15s));

  // Bought from the balance, auto-renew on, and the balance then short of
  // the next period: one notice with Top up, nothing debited.
  gift(25000, "gift:short");
  buy_from_balance();
  ASSERT_TRUE(eventually([&] { return messages("Payment received") == 1; }, 15s));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 2, 20s));
  q("UPDATE subscriptions SET auto_renew = true WHERE kind = 'paid'");
  move_to(29 * 24h + 3h);
  ASSERT_TRUE(settled([&] { return messages("needs 199 ₽, but your balance is 51 ₽") >= 1; }));
  auto short_notice = the_message("needs 199 ₽, but your balance is 51 ₽");
  EXPECT_NE(callback_of(short_notice, "Top up"), "") << buttons_of(short_notice);
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = " + std::to_string(user)), "5100");
  EXPECT_EQ(messages("renewed from your balance"), 0);
  // 21 hours left by then: the one-day reminder goes out too, once.
  ASSERT_TRUE(settled([&] { return messages("Extend it now") >= 1; }));
  EXPECT_EQ(messages("in 21 hours"), 1);

  // Everything the user was sent, and nothing else.
  std::string all;
  for (const auto& c : emu->calls("sendMessage")) all += c.params.value("text", "") + "\n---\n";
  // Menu, trial key, ending, ended, menu, payment, key, short balance, reminder.
  EXPECT_EQ(messages(""), 9) << all;
  EXPECT_EQ(emu->calls("sendPhoto").size(), 2u);
  EXPECT_EQ(panel->call_count(panel_call::create), 2u);
  EXPECT_EQ(panel->call_count(panel_call::remove), 0u);
}

// A trial's life next to a paid one's, every panel call counted: each
// happens once. The trial → its key → expiry → disabled → removal after
// the retention; bought → key → expiry → disabled → bought again (renewed)
// → the same client enabled → removal.
TEST_P(WorkersFullLife, TrialKeyExpiryDisableRenewEnableRemovalEachCallOnce) {
  start(10 * 24h);
  const bool remnawave = panel->kind() == panel_kind::remnawave;
  // The trial: one create; the key with its QR code.
  emu->push_text(user, "/start");
  emu->push_callback(user, 70, callback_of(nth("sendMessage", 1), "Free trial"));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  auto trial = of("trial", "client_email");
  ASSERT_TRUE(panel->client(trial));
  auto trial_key = key_of("trial");
  EXPECT_EQ(messages(trial_key), 1);
  EXPECT_EQ(of("trial", "access_link").rfind(trial_key, 0), 0u) << of("trial", "access_link");
  if (remnawave) {
    EXPECT_EQ(panel->client(trial)->sub_url, trial_key);
    EXPECT_EQ(of("trial", "access_link"), trial_key);
  }
  EXPECT_EQ(panel->client(trial)->expiry_time_ms, expiry_ms("trial"));
  EXPECT_EQ(calls(panel_call::create), 1u);
  EXPECT_EQ(calls(panel_call::update), 0u);
  // Remnawave looks a user up before each create and each removal (the
  // delete takes the panel's own id of the user).
  if (remnawave) {
    EXPECT_EQ(calls(panel_call::lookup), 1u);
  }

  // The trial ends: its client disabled (one update) and kept.
  auto trial_end = ends_in("trial");
  move_to(trial_end + 1h);
  ASSERT_TRUE(settled([&] { return panel->client(trial) && !enabled(trial); }));
  EXPECT_EQ(calls(panel_call::update), 1u);

  // Bought: a client of its own (one create), its key.
  gift(60000, "gift:life");
  buy_from_balance();
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 2, 20s));
  auto paid = of("paid", "client_email");
  ASSERT_TRUE(panel->client(paid));
  EXPECT_EQ(messages(key_of("paid")), 1);
  EXPECT_TRUE(enabled(paid));
  EXPECT_EQ(panel->client(paid)->expiry_time_ms, expiry_ms("paid"));
  EXPECT_EQ(calls(panel_call::create), 2u);
  if (remnawave) {
    EXPECT_EQ(calls(panel_call::lookup), 2u);
  }

  // The trial past its retention: removed (one delete).
  move_to(trial_end + 10 * 24h + 2h);
  ASSERT_TRUE(settled([&] { return !panel->client(trial).has_value(); }));
  EXPECT_EQ(calls(panel_call::remove), 1u);
  if (remnawave) {
    EXPECT_EQ(calls(panel_call::lookup), 3u);
  }
  EXPECT_TRUE(enabled(paid));

  // The paid one ends: disabled, once.
  auto paid_end = ends_in("paid");
  move_to(paid_end + 1h);
  ASSERT_TRUE(settled([&] { return panel->client(paid) && !enabled(paid); }));
  EXPECT_EQ(calls(panel_call::update), 2u);

  // Renewed (bought again): the same client enabled with the new expiry, once.
  buy_from_balance();
  ASSERT_TRUE(settled(
      [&] { return enabled(paid) && panel->client(paid)->expiry_time_ms == expiry_ms("paid"); }));
  EXPECT_EQ(calls(panel_call::update), 3u);
  EXPECT_EQ(calls(panel_call::create), 2u);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions WHERE kind = 'paid'"), "1");

  // Ended once more and past retention: disabled once, then removed once.
  auto end = ends_in("paid");
  move_to(end + 1h);
  ASSERT_TRUE(settled([&] { return panel->client(paid) && !enabled(paid); }));
  EXPECT_EQ(calls(panel_call::update), 4u);
  move_to(end + 11 * 24h);
  ASSERT_TRUE(settled([&] { return !panel->client(paid).has_value(); }));
  EXPECT_EQ(calls(panel_call::remove), 2u);
  EXPECT_EQ(calls(panel_call::create), 2u);
  EXPECT_EQ(calls(panel_call::update), 4u);
  EXPECT_EQ(emu->calls("sendPhoto").size(), 2u);
  if (remnawave) {
    EXPECT_EQ(calls(panel_call::lookup), 4u);
    // Nothing refused: only the lookup before each create found nobody.
    int not_found = 0;
    for (const auto& c : panel->remnawave()->calls()) {
      if (c.op == remnawave_op::get_user && c.status == 404) {
        ++not_found;
        continue;
      }
      EXPECT_LT(c.status, 300) << to_string(c.op) << c.body;
    }
    EXPECT_EQ(not_found, 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Panels, WorkersFullLife, ::testing::ValuesIn(all_panel_kinds),
                         panel_kind_name);

}  // namespace
}  // namespace vpnbot::testing_support
