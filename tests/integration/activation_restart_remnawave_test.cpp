// The real binary with a Remnawave panel, killed (SIGKILL) between the
// panel's answer to the create and our commit: the create is applied at
// once and answered only after 30 s, so the user exists while the job is
// still leased. After a restart the job is taken again, the lookup by
// username finds the user, it is adopted (updated to the wanted state, not
// created twice) and the job completes with one key message: the user's
// subscription URL.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "adapters/emulators/remnawave/remnawave_emulator.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "support/bot_harness.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
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

int messages_with(const bot_api_emulator& emu, int64_t chat, const std::string& text) {
  int n = 0;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200 && c.params["chat_id"].get<int64_t>() == chat &&
        c.params["text"].get<std::string>().find(text) != std::string::npos)
      ++n;
  return n;
}

std::string write_config(const std::filesystem::path& dir, const remnawave_emulator& panel) {
  std::filesystem::create_directories(dir);
  auto path = (dir / "vpnbot.toml").string();
  std::ofstream f(path);
  f << "[panel_defaults]\ncall_timeout = \"20s\"\njob_lease = \"2s\"\n"
    << "[[panels]]\nname = \"main\"\nkind = \"remnawave\"\n"
    << "base_url = \"" << panel.base_url() << "\"\n"
    << "api_token = \"" << panel.options().api_token << "\"\n"
    << "squads = \"3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8\"\n";
  return path;
}

TEST(ActivationRestartRemnawave, KilledBetweenThePanelsAnswerAndOurCommitAdoptsTheOneUser) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  constexpr int64_t chat = 8811;
  remnawave_emulator panel;
  panel.seed_user("someone_else");  // not ours: never touched
  bot_api_emulator emu;
  auto url = create_fresh_database("activation_restart_remnawave");
  auto dir = std::filesystem::temp_directory_path() /
             ("vpnbot-activation-restart-remnawave-" + std::to_string(::getpid()));
  auto config_path = write_config(dir, panel);
  auto env = service_env(url, emu);
  panel.delay_next(remnawave_op::create_user, 30s);
  std::string uuid_before, sub_before;
  {
    service_process first({"--config", config_path}, env);
    emu.push_text(chat, "/start");
    ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 20s));
    emu.push_callback(chat, 70, "m:trial");
    ASSERT_TRUE(wait_until([&] { return panel.users().size() == 2; }, 20s));
    // Our identity was stored before the call.
    uuid_before = scalar(url, "SELECT client_uuid FROM subscriptions");
    sub_before = scalar(url, "SELECT sub_id FROM subscriptions");
    ASSERT_FALSE(uuid_before.empty());
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait_exit(10s), 128 + SIGKILL);
  }
  ASSERT_EQ(scalar(url, "SELECT state FROM jobs WHERE kind = 'create_client'"), "running")
      << "the kill came after the job was recorded";
  auto sub_url = "https://sub.example.com/" + sub_before;
  EXPECT_EQ(messages_with(emu, chat, sub_url), 0);

  service_process second({"--config", config_path}, env);
  ASSERT_TRUE(wait_until(
      [&] { return scalar(url, "SELECT state FROM jobs WHERE kind = 'create_client'") == "done"; },
      30s))
      << scalar(url, "SELECT last_error FROM jobs WHERE kind = 'create_client'");
  ASSERT_TRUE(wait_until([&] { return messages_with(emu, chat, sub_url) == 1; }, 15s));
  std::this_thread::sleep_for(300ms);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait_exit(30s), 0);

  EXPECT_EQ(panel.users().size(), 2u);
  auto email = scalar(url, "SELECT client_email FROM subscriptions");
  auto user = panel.user(email);
  ASSERT_TRUE(user);
  EXPECT_EQ((*user)["vlessUuid"], uuid_before);
  EXPECT_EQ((*user)["shortUuid"], sub_before);
  EXPECT_EQ((*user)["subscriptionUrl"], sub_url);
  EXPECT_EQ((*user)["activeInternalSquads"].size(), 1u);
  EXPECT_EQ(scalar(url, "SELECT access_link FROM subscriptions"), sub_url);
  EXPECT_EQ(panel.call_count(remnawave_op::create_user), 1u);  // adopted, not created again
  EXPECT_EQ(panel.call_count(remnawave_op::get_user), 2u);     // a lookup per run
  EXPECT_EQ(panel.call_count(remnawave_op::update_user), 1u);  // the adoption
  EXPECT_EQ(messages_with(emu, chat, sub_url), 1);
  EXPECT_EQ(emu.calls("sendPhoto").size(), 1u);  // the QR code of the subscription URL
  EXPECT_EQ(scalar(url, "SELECT attempts FROM jobs WHERE kind = 'create_client'"), "2");
  EXPECT_TRUE(panel.user("someone_else"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vpnbot::testing_support
