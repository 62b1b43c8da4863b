// The configuration `vpnbot --sandbox` runs with: everything that reaches
// the outside world points at the sandbox's emulators, and the database is
// its own whatever the operator configured.

#include "app/sandbox/sandbox_settings.hpp"

#include <gtest/gtest.h>

#include "app/sandbox/sandbox_users.hpp"

namespace vpnbot::sandbox {
namespace {

TEST(SandboxSettings, PointsEverythingAtTheEmulatorsAndKeepsTheRealDatabaseOut) {
  config::settings real;
  real.service.data_dir = "/srv/vpnbot";
  real.database.url = "postgresql://vpnbot:secret@db.example.com/vpnbot";
  real.database.embedded_dir = "/srv/vpnbot/pg";
  real.telegram.token = "42:REAL";
  real.telegram.mode = "webhook";
  real.telegram.webhook_url = "https://vpn.example.com/telegram/webhook";
  real.yookassa.shop_id = "shop";
  real.yookassa.secret_key = "key";
  real.coingate.auth_token = "token";
  config::panel_settings panel;
  panel.name = "real";
  panel.base_url = "https://panel.example.com/x/";
  real.panels.push_back(panel);

  sandbox_world world("http://127.0.0.1:8080");
  auto s = sandbox_settings(real, world);

  EXPECT_TRUE(s.database.url.empty());
  EXPECT_EQ(s.database.embedded_dir, "/srv/vpnbot/sandbox/pg");
  EXPECT_EQ(s.telegram.token, world.telegram().token());
  EXPECT_NE(s.telegram.token, "42:REAL");
  EXPECT_EQ(s.telegram.api_base, world.telegram().api_base());
  EXPECT_EQ(s.telegram.mode, "polling");
  EXPECT_TRUE(s.telegram.webhook_url.empty());
  ASSERT_EQ(s.panels.size(), 1u);
  EXPECT_EQ(s.panels[0].base_url, world.panel().base_url());
  EXPECT_EQ(s.panels[0].password, world.panel().options().password);
  EXPECT_EQ(s.cryptobot.api_base, world.cryptobot().api_base());
  EXPECT_EQ(s.cryptobot.token, world.cryptobot().token());
  EXPECT_FALSE(s.yookassa.enabled());
  EXPECT_FALSE(s.robokassa.enabled());
  EXPECT_FALSE(s.coingate.enabled());
  EXPECT_EQ(s.bot.payment_methods, std::vector<std::string>{"cryptobot"});
  EXPECT_EQ(s.bot.admin_ids, sandbox_admin_ids());
  EXPECT_FALSE(s.bot.admin_ids.empty());
}

TEST(SandboxSettings, EachSandboxMakesUpItsOwnCredentials) {
  sandbox_world a("http://127.0.0.1:8080"), b("http://127.0.0.1:8080");
  EXPECT_NE(a.telegram().token(), b.telegram().token());
  EXPECT_NE(a.panel().options().password, b.panel().options().password);
  EXPECT_NE(a.panel().options().base_path, b.panel().options().base_path);
  EXPECT_NE(a.cryptobot().token(), b.cryptobot().token());
}

}  // namespace
}  // namespace vpnbot::sandbox
