// The real binary killed (SIGKILL) after the panel created a client but
// before the job was recorded done: the panel's answer is held back, so the
// client exists while the job is still leased. After a restart the job is
// taken again when its lease ends, the second add finds the client with our
// UUID, and the job completes: one client, one key message.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "fakes/telegram/bot_api_emulator.hpp"
#include "fakes/xui/xui_emulator.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;

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

int our_clients(const xui_emulator& panel) {
  int n = 0;
  for (const auto& c : panel.clients(panel.options().inbound_id))
    if (c.email.rfind("tg", 0) == 0) ++n;
  return n;
}

int key_messages(const bot_api_emulator& emu, int64_t chat) {
  int n = 0;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200 && c.params["chat_id"].get<int64_t>() == chat &&
        c.params["text"].get<std::string>().find("vless://") != std::string::npos)
      ++n;
  return n;
}

TEST(ActivationRestart, KilledBetweenClientCreatedAndJobDoneCompletesWithoutASecondClient) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  constexpr int64_t chat = 8801;
  xui_emulator panel;
  bot_api_emulator emu;
  auto url = create_fresh_database("activation_restart");
  auto dir = std::filesystem::temp_directory_path() /
             ("vpnbot-activation-restart-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto config_path = (dir / "vpnbot.toml").string();
  {
    std::ofstream f(config_path);
    f << "[panel_defaults]\ncall_timeout = \"20s\"\njob_lease = \"2s\"\n"
      << "[[panels]]\nname = \"main\"\nbase_url = \"" << panel.base_url() << "\"\n"
      << "username = \"" << panel.options().username << "\"\n"
      << "password = \"" << panel.options().password << "\"\n"
      << "version = \"" << panel.options().version << "\"\n"
      << "inbound_id = " << panel.options().inbound_id << "\n"
      << "public_host = \"vpn.example.com\"\n";
  }
  std::map<std::string, std::string> env{{"VPNBOT_DATABASE_URL", url},
                                         {"VPNBOT_HTTP_LISTEN", "127.0.0.1:0"},
                                         {"VPNBOT_LOG_LEVEL", "warn"},
                                         {"VPNBOT_TELEGRAM_TOKEN", emu.token()},
                                         {"VPNBOT_TELEGRAM_API_BASE", emu.api_base()},
                                         {"VPNBOT_TELEGRAM_POLL_TIMEOUT", "1s"},
                                         {"VPNBOT_TELEGRAM_CONFLICT_BACKOFF", "200ms"}};
  // The panel applies the add at once but answers only after 30 s.
  panel.delay_next(xui_op::add_client, 30s);
  {
    service_process first({"--config", config_path}, env);
    emu.push_text(chat, "/start");
    ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 20s));
    emu.push_callback(chat, 70, "m:trial");
    ASSERT_TRUE(wait_until([&] { return our_clients(panel) == 1; }, 20s));
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
  }
  ASSERT_EQ(scalar(url, "SELECT state FROM jobs WHERE kind = 'create_client'"), "running")
      << "the kill came after the job was recorded";
  EXPECT_EQ(key_messages(emu, chat), 0);

  service_process second({"--config", config_path}, env);
  ASSERT_TRUE(wait_until(
      [&] { return scalar(url, "SELECT state FROM jobs WHERE kind = 'create_client'") == "done"; },
      30s))
      << scalar(url, "SELECT last_error FROM jobs WHERE kind = 'create_client'");
  ASSERT_TRUE(wait_until([&] { return key_messages(emu, chat) == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait_exit(30s), 0);

  EXPECT_EQ(our_clients(panel), 1);
  auto client = panel.clients(panel.options().inbound_id);
  for (const auto& c : client) {
    if (c.email.rfind("tg", 0) != 0) continue;
    EXPECT_EQ(
        scalar(url, "SELECT client_uuid FROM subscriptions WHERE client_email = '" + c.email + "'"),
        c.id);
  }
  // The second add was answered as a duplicate and verified, not applied.
  int adds = 0;
  for (const auto& c : panel.calls())
    if (c.op == xui_op::add_client) ++adds;
  EXPECT_EQ(adds, 2);
  EXPECT_EQ(key_messages(emu, chat), 1);
  EXPECT_EQ(scalar(url, "SELECT attempts FROM jobs WHERE kind = 'create_client'"), "2");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vpnbot::testing_support
