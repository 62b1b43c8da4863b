// Subscriptions' lives on a Remnawave panel through the whole service (the
// real activation worker and workers, the Telegram emulator, the Remnawave
// emulator, the workers' clock moved by the test): a trial → its key (the
// subscription URL and its QR code) → expiry → user disabled → removal after
// retention; then bought → key → expiry → disabled → bought again (renewed)
// → the same user enabled → removal. Every panel call is counted: each
// happens once.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/emulators/remnawave/remnawave_emulator.hpp"
#include "adapters/panel/remnawave_protocol.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
constexpr int64_t user = 6201;

struct WorkersRemnawaveLife : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<remnawave_emulator> panel;
  std::unique_ptr<bot_harness> bot;
  std::shared_ptr<std::atomic<int64_t>> shift = std::make_shared<std::atomic<int64_t>>(0);

  void SetUp() override {
    fresh_database::SetUp();
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<remnawave_emulator>();
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel_settings_for(*panel)};
    s.workers.interval = 50ms;
    s.workers.retention = 10 * 24h;
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
  std::string status(const std::string& email) {
    auto u = panel->user(email);
    return u ? (*u)["status"].get<std::string>() : "gone";
  }
  std::string expire_at(const std::string& email) {
    auto u = panel->user(email);
    return u ? (*u)["expireAt"].get<std::string>() : "gone";
  }
  std::size_t calls(remnawave_op op) { return panel->call_count(op); }
  bool settled(const std::function<bool()>& done) {
    if (!eventually(done, 15s)) return false;
    std::this_thread::sleep_for(400ms);
    return true;
  }
};

TEST_F(WorkersRemnawaveLife, TrialKeyExpiryDisableRenewEnableRemovalEachCallOnce) {
  // The trial: one lookup, one create; the key is the subscription URL, with its QR code.
  emu->push_text(user, "/start");
  emu->push_callback(user, 70, callback_of(nth("sendMessage", 1), "Free trial"));
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 1, 20s));
  auto trial = of("trial", "client_email");
  ASSERT_TRUE(panel->user(trial));
  auto trial_url = "https://sub.example.com/" + of("trial", "sub_id");
  EXPECT_EQ((*panel->user(trial))["subscriptionUrl"], trial_url);
  EXPECT_EQ(messages(trial_url), 1);
  EXPECT_EQ(of("trial", "access_link"), trial_url);
  EXPECT_EQ(expire_at(trial), panel::remnawave_time(expiry_ms("trial")));
  EXPECT_EQ(calls(remnawave_op::get_user), 1u);
  EXPECT_EQ(calls(remnawave_op::create_user), 1u);
  EXPECT_EQ(calls(remnawave_op::update_user), 0u);

  // The trial ends: its user disabled (one update) and kept.
  auto trial_end = ends_in("trial");
  move_to(trial_end + 1h);
  ASSERT_TRUE(settled([&] { return status(trial) == "DISABLED"; }));
  EXPECT_EQ(calls(remnawave_op::update_user), 1u);

  // Bought: a user of its own (one lookup, one create), its key.
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto id = std::stoll(q("SELECT id FROM users WHERE telegram_id = " + std::to_string(user)));
    ASSERT_EQ(db::post_ledger_entry(tx, id, 60000, "RUB", "admin_adjustment", "gift:remna"),
              db::ledger_outcome::applied);
    tx.commit();
  }
  buy_from_balance();
  ASSERT_TRUE(emu->wait_for_calls("sendPhoto", 2, 20s));
  auto paid = of("paid", "client_email");
  ASSERT_TRUE(panel->user(paid));
  auto paid_url = "https://sub.example.com/" + of("paid", "sub_id");
  EXPECT_EQ(messages(paid_url), 1);
  EXPECT_EQ(status(paid), "ACTIVE");
  EXPECT_EQ(expire_at(paid), panel::remnawave_time(expiry_ms("paid")));
  EXPECT_EQ(calls(remnawave_op::create_user), 2u);
  EXPECT_EQ(calls(remnawave_op::get_user), 2u);

  // The trial past its retention: removed (one lookup, one delete).
  move_to(trial_end + 10 * 24h + 2h);
  ASSERT_TRUE(settled([&] { return !panel->user(trial).has_value(); }));
  EXPECT_EQ(calls(remnawave_op::delete_user), 1u);
  EXPECT_EQ(calls(remnawave_op::get_user), 3u);
  EXPECT_EQ(status(paid), "ACTIVE");

  // The paid one ends: disabled, once.
  auto paid_end = ends_in("paid");
  move_to(paid_end + 1h);
  ASSERT_TRUE(settled([&] { return status(paid) == "DISABLED"; }));
  EXPECT_EQ(calls(remnawave_op::update_user), 2u);

  // Renewed (bought again): the same user enabled with the new expiry, once.
  buy_from_balance();
  ASSERT_TRUE(settled([&] {
    return status(paid) == "ACTIVE" && expire_at(paid) == panel::remnawave_time(expiry_ms("paid"));
  }));
  EXPECT_EQ(calls(remnawave_op::update_user), 3u);
  EXPECT_EQ(calls(remnawave_op::create_user), 2u);
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions WHERE kind = 'paid'"), "1");

  // Ended once more and past retention: disabled once, then removed once.
  auto end = ends_in("paid");
  move_to(end + 1h);
  ASSERT_TRUE(settled([&] { return status(paid) == "DISABLED"; }));
  EXPECT_EQ(calls(remnawave_op::update_user), 4u);
  move_to(end + 11 * 24h);
  ASSERT_TRUE(settled([&] { return !panel->user(paid).has_value(); }));
  EXPECT_EQ(calls(remnawave_op::delete_user), 2u);
  EXPECT_EQ(calls(remnawave_op::get_user), 4u);
  EXPECT_EQ(calls(remnawave_op::create_user), 2u);
  EXPECT_EQ(calls(remnawave_op::update_user), 4u);
  EXPECT_EQ(emu->calls("sendPhoto").size(), 2u);
  // Nothing refused: only the lookup before each create found nobody.
  int not_found = 0;
  for (const auto& c : panel->calls()) {
    if (c.op == remnawave_op::get_user && c.status == 404) {
      ++not_found;
      continue;
    }
    EXPECT_LT(c.status, 300) << to_string(c.op) << c.body;
  }
  EXPECT_EQ(not_found, 2);
}

}  // namespace
}  // namespace vpnbot::testing_support
