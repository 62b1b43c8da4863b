// The real binary killed (SIGKILL) after the panel created a client but
// before the job was recorded done: the panel's answer is held back, so the
// client exists while the job is still leased. After a restart the job is
// taken again when its lease ends and completes with one client and one key
// message, on each kind of panel: where the panel can be asked for the
// client (3x-ui 3.1, Remnawave) the lookup finds it and it is adopted;
// legacy 3x-ui answers the second add as a duplicate, which is verified.
// Once for a trial, once for a CryptoBot payment (the kill comes after the
// payment's commit, in the middle of its panel call).

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/payments/cryptobot_emulator.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "support/bot_harness.hpp"
#include "support/panel_under_test.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

constexpr const char* squad = "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8";

std::string scalar(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  auto r = tx.exec(sql);
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

int our_clients(const panel_under_test& panel) {
  int n = 0;
  for (const auto& c : panel.clients())
    if (c.email.rfind("tg", 0) == 0) ++n;
  return n;
}

int messages_with(const bot_api_emulator& emu, int64_t chat, const std::string& text) {
  int n = 0;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200 && c.params["chat_id"].get<int64_t>() == chat &&
        c.params["text"].get<std::string>().find(text) != std::string::npos)
      ++n;
  return n;
}

// The service's config file with the panel as its one [[panels]] entry.
std::string write_config(const std::filesystem::path& dir, const panel_under_test& panel) {
  std::filesystem::create_directories(dir);
  auto path = (dir / "vpnbot.toml").string();
  auto p = panel.panel_settings();
  std::ofstream f(path);
  f << "[panel_defaults]\ncall_timeout = \"20s\"\njob_lease = \"2s\"\n"
    << "[[panels]]\nname = \"main\"\nkind = \"" << p.kind << "\"\n"
    << "base_url = \"" << p.base_url << "\"\n"
    << "public_host = \"vpn.example.com\"\n";
  if (panel.kind() == panel_kind::remnawave)
    f << "api_token = \"" << p.api_token << "\"\nsquads = \"" << squad << "\"\n";
  else
    f << "username = \"" << p.username << "\"\npassword = \"" << p.password << "\"\n"
      << "version = \"" << p.version << "\"\ninbound_id = " << p.inbound_id << "\n";
  return path;
}

struct ActivationRestart : ::testing::TestWithParam<panel_kind> {
  panel_under_test panel{GetParam()};

  // What only the key message holds: the link (3x-ui) or the subscription
  // URL the panel serves (Remnawave: https://sub.example.com/<shortUuid>).
  std::string key_marker(const std::string& sub_id) const {
    return panel.kind() == panel_kind::remnawave ? "https://sub.example.com/" + sub_id : "vless://";
  }
};

TEST_P(ActivationRestart, KilledBetweenThePanelsAnswerAndOurCommitCompletesWithOneClient) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  constexpr int64_t chat = 8801;
  panel.seed_foreign("someone_else");  // not ours: never touched
  auto someone_else = panel.client("someone_else");
  bot_api_emulator emu;
  auto url = create_fresh_database("activation_restart");
  auto dir = std::filesystem::temp_directory_path() /
             ("vpnbot-activation-restart-" + std::to_string(::getpid()));
  auto config_path = write_config(dir, panel);
  auto env = service_env(url, emu);
  // The panel applies the create at once but answers only after 30 s.
  panel.delay_next(panel_call::create, 30s);
  std::string uuid_before, sub_before;
  {
    service_process first({"--config", config_path}, env);
    emu.push_text(chat, "/start");
    ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 20s));
    emu.push_callback(chat, 70, "m:trial");
    ASSERT_TRUE(wait_until([&] { return our_clients(panel) == 1; }, 20s));
    // Our identity was stored before the call.
    uuid_before = scalar(url, "SELECT client_uuid FROM subscriptions");
    sub_before = scalar(url, "SELECT sub_id FROM subscriptions");
    ASSERT_FALSE(uuid_before.empty());
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
  }
  ASSERT_EQ(scalar(url, "SELECT state FROM jobs WHERE kind = 'create_client'"), "running")
      << "the kill came after the job was recorded";
  auto key = key_marker(sub_before);
  EXPECT_EQ(messages_with(emu, chat, key), 0);

  service_process second({"--config", config_path}, env);
  ASSERT_TRUE(wait_until(
      [&] { return scalar(url, "SELECT state FROM jobs WHERE kind = 'create_client'") == "done"; },
      30s))
      << scalar(url, "SELECT last_error FROM jobs WHERE kind = 'create_client'");
  ASSERT_TRUE(wait_until([&] { return messages_with(emu, chat, key) == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait_exit(30s), 0);

  EXPECT_EQ(our_clients(panel), 1);
  auto email = scalar(url, "SELECT client_email FROM subscriptions");
  auto on_panel = panel.client(email);
  ASSERT_TRUE(on_panel);
  // The subscription holds the client's identity: ours, sent with the
  // create, or (3.1) the one the panel made, adopted.
  EXPECT_EQ(scalar(url, "SELECT client_uuid FROM subscriptions"), on_panel->id);
  EXPECT_EQ(scalar(url, "SELECT sub_id FROM subscriptions"), on_panel->sub_id);
  if (panel.makes_its_own_uuid()) {
    EXPECT_NE(on_panel->id, uuid_before);
  } else {
    EXPECT_EQ(on_panel->id, uuid_before);
    EXPECT_EQ(on_panel->sub_id, sub_before);
  }
  if (panel.kind() == panel_kind::remnawave) {
    EXPECT_EQ(on_panel->sub_url, key);
    EXPECT_EQ(scalar(url, "SELECT access_link FROM subscriptions"), key);
    EXPECT_EQ((*panel.remnawave()->user(email))["activeInternalSquads"].size(), 1u);
  } else {
    EXPECT_NE(scalar(url, "SELECT access_link FROM subscriptions").find("vless://" + on_panel->id),
              std::string::npos);
  }
  if (panel.kind() == panel_kind::xui_legacy) {
    // No lookup: the second add was answered as a duplicate and verified, not applied.
    EXPECT_EQ(panel.call_count(panel_call::create), 2u);
  } else {
    EXPECT_EQ(panel.call_count(panel_call::create), 1u);  // adopted, not created again
    EXPECT_EQ(panel.call_count(panel_call::lookup), 2u);  // a lookup per run
  }
  // Remnawave brings the adopted user to the wanted state.
  if (panel.kind() == panel_kind::remnawave) {
    EXPECT_EQ(panel.call_count(panel_call::update), 1u);
  }
  EXPECT_EQ(messages_with(emu, chat, key), 1);
  EXPECT_EQ(emu.calls("sendPhoto").size(), 1u);  // the key's QR code
  EXPECT_EQ(scalar(url, "SELECT attempts FROM jobs WHERE kind = 'create_client'"), "2");
  EXPECT_EQ(panel.client("someone_else"), someone_else);
  std::filesystem::remove_all(dir);
}

TEST_P(ActivationRestart, KilledAfterAPaymentsCommitDuringItsPanelCallDeliversTheKeyOnce) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  constexpr int64_t chat = 8802;
  bot_api_emulator emu;
  cryptobot_emulator crypto;
  auto url = create_fresh_database("payment_restart");
  auto dir = std::filesystem::temp_directory_path() /
             ("vpnbot-payment-restart-" + std::to_string(::getpid()));
  auto config_path = write_config(dir, panel);
  std::map<std::string, std::string> env{
      {"VPNBOT_DATABASE_URL", url},
      {"VPNBOT_HTTP_LISTEN", "127.0.0.1:0"},
      {"VPNBOT_LOG_LEVEL", "info"},  // the "listening" line names the port
      {"VPNBOT_TELEGRAM_TOKEN", emu.token()},
      {"VPNBOT_TELEGRAM_API_BASE", emu.api_base()},
      {"VPNBOT_TELEGRAM_POLL_TIMEOUT", "1s"},
      {"VPNBOT_TELEGRAM_CONFLICT_BACKOFF", "200ms"},
      {"VPNBOT_CRYPTOBOT_TOKEN", crypto.token()},
      {"VPNBOT_CRYPTOBOT_API_BASE", crypto.api_base()},
      {"VPNBOT_PAYMENTS_ISSUE_INTERVAL", "100ms"}};
  panel.delay_next(panel_call::create, 30s);
  std::string payment;
  {
    service_process first({"--config", config_path}, env);
    auto port = first.wait_for_http_port(20s);
    ASSERT_TRUE(port);
    emu.push_text(chat, "/start");
    ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 20s));
    emu.push_callback(chat, 70, callback_of(emu.calls("sendMessage")[0].params, "Buy"));
    ASSERT_TRUE(emu.wait_for_calls("editMessageText", 1, 10s));
    emu.push_callback(chat, 70, callback_of(emu.calls("editMessageText")[0].params, "30 days"));
    ASSERT_TRUE(emu.wait_for_calls("editMessageText", 2, 10s));
    emu.push_callback(chat, 70, callback_of(emu.calls("editMessageText")[1].params, "CryptoBot"));
    ASSERT_TRUE(wait_until(
        [&] { return !scalar(url, "SELECT provider_payment_id FROM payments").empty(); }, 20s));
    payment = scalar(url, "SELECT id FROM payments");
    auto delivery = crypto.pay(std::stoll(scalar(url, "SELECT provider_payment_id FROM payments")));
    auto r = http_call(
        *port, "POST", "/pay/cryptobot", delivery.body,
        {{"Content-Type", "application/json"}, {"crypto-pay-api-signature", delivery.signature}});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(wait_until([&] { return our_clients(panel) == 1; }, 20s));
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
  }
  ASSERT_EQ(scalar(url, "SELECT status FROM payments"), "succeeded");
  ASSERT_EQ(scalar(url, "SELECT state FROM jobs WHERE idempotency_key = 'payment:" + payment + "'"),
            "running")
      << "the kill came after the job was recorded";
  auto key = key_marker(scalar(url, "SELECT sub_id FROM subscriptions"));
  EXPECT_EQ(messages_with(emu, chat, key), 0);

  service_process second({"--config", config_path}, env);
  ASSERT_TRUE(wait_until(
      [&] {
        return scalar(url, "SELECT state FROM jobs WHERE idempotency_key = 'payment:" + payment +
                               "'") == "done";
      },
      30s));
  ASSERT_TRUE(wait_until([&] { return messages_with(emu, chat, key) == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait_exit(30s), 0);
  EXPECT_EQ(our_clients(panel), 1);
  EXPECT_EQ(messages_with(emu, chat, key), 1);
  EXPECT_LE(messages_with(emu, chat, "Payment received"), 1);
  EXPECT_EQ(scalar(url, "SELECT count(*) FROM jobs"), "1");
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Panels, ActivationRestart, ::testing::ValuesIn(all_panel_kinds),
                         panel_kind_name);

}  // namespace
}  // namespace vpnbot::testing_support
