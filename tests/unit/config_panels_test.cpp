// The [[panels]] list and [panel_defaults]: read from TOML, overridden per
// panel from the environment, validated, secrets masked.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "app/config_validators.hpp"
#include "config/loader.hpp"

namespace vpnbot::config {
namespace {

using namespace std::chrono_literals;

struct panels_file {
  std::string path;
  explicit panels_file(const std::string& text) {
    static int n = 0;
    path = testing::TempDir() + "vpnbot_panels_" + std::to_string(::getpid()) + "_" +
           std::to_string(n++) + ".toml";
    std::ofstream(path) << text;
  }
  ~panels_file() { std::remove(path.c_str()); }
};

bool mentions(const load_result& r, const std::string& needle) {
  for (const auto& e : r.errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

constexpr const char* two_panels = R"([panel_defaults]
call_timeout = "20s"
max_attempts = 4
[[panels]]
name = "main"
base_url = "https://panel.example.com:2053/secretpath/"
username = "admin"
password = "hunter2"
totp_secret = "JBSWY3DPEHPK3PXP"
inbound_id = 3
version = "2.8.5"
verify_tls = false
[[panels]]
name = "eu-2"
base_url = "http://10.0.0.2:2053/"
api_token = "tok-abc"
call_timeout = "6s"
)";

TEST(ConfigPanels, NoPanelsByDefault) {
  auto r = load(std::nullopt, {}, app::config_validators());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value.panels.empty());
}

TEST(ConfigPanels, PanelsAreReadWithDefaultsFilledIn) {
  panels_file f{two_panels};
  auto r = load(f.path, {}, app::config_validators());
  ASSERT_TRUE(r.ok()) << r.errors.front();
  ASSERT_EQ(r.value.panels.size(), 2u);
  const auto& main = r.value.panels[0];
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.base_url, "https://panel.example.com:2053/secretpath/");
  EXPECT_EQ(main.password, "hunter2");
  EXPECT_EQ(main.inbound_id, 3);
  EXPECT_FALSE(main.verify_tls);
  EXPECT_EQ(main.call_timeout, 20s);
  EXPECT_EQ(main.connect_timeout, 5s);
  EXPECT_EQ(r.value.panel_defaults.max_attempts, 4u);
  EXPECT_EQ(r.value.panels[1].api_token, "tok-abc");
  EXPECT_EQ(r.value.panels[1].call_timeout, 6s);
}

TEST(ConfigPanels, EnvironmentOverridesAPanelNamedInTheFile) {
  panels_file f{two_panels};
  auto r = load(f.path,
                {{"VPNBOT_PANEL_MAIN_PASSWORD", "from-env"},
                 {"VPNBOT_PANEL_EU_2_INBOUND_ID", "7"},
                 {"VPNBOT_PANEL_DEFAULTS_MAX_QUEUE", "5"},
                 {"VPNBOT_PANEL_OTHER_PASSWORD", "x"}},
                app::config_validators());
  ASSERT_TRUE(r.ok()) << r.errors.front();
  EXPECT_EQ(r.value.panels[0].password, "from-env");
  EXPECT_EQ(r.value.panels[1].inbound_id, 7);
  EXPECT_EQ(r.value.panel_defaults.max_queue, 5u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("VPNBOT_PANEL_OTHER_PASSWORD"), std::string::npos);
}

TEST(ConfigPanels, BadPanelsNameTheEntryAndTheKey) {
  panels_file f{R"([[panels]]
name = "Main Panel"
base_url = "ftp://x"
username = "admin"
inbound_id = 0
version = "two"
[[panels]]
name = "b"
base_url = "https://b/"
username = "u"
password = "p"
colour = "red"
totp_secret = "not base32!"
)"};
  auto r = load(f.path, {}, app::config_validators());
  EXPECT_TRUE(mentions(r, "panels[0].name"));
  EXPECT_TRUE(mentions(r, "panels[0].base_url"));
  EXPECT_TRUE(mentions(r, "panels[0].password"));
  EXPECT_TRUE(mentions(r, "panels[0].inbound_id"));
  EXPECT_TRUE(mentions(r, "panels[0].version"));
  EXPECT_TRUE(mentions(r, "panels[1].colour"));
  EXPECT_TRUE(mentions(r, "panels[1].totp_secret: expected the base32 secret"));

  panels_file dup{R"([[panels]]
name = "a"
base_url = "https://a/"
api_token = "t"
[[panels]]
name = "a"
base_url = "https://a/"
api_token = "t"
)"};
  EXPECT_TRUE(mentions(load(dup.path, {}, app::config_validators()),
                       "panels[1].name: expected a unique name"));
}

TEST(ConfigPanels, VersionIsAutoLegacy31OrAnExactVersion) {
  panels_file f{R"([[panels]]
name = "new"
base_url = "https://n/"
api_token = "t"
version = "3.1"
[[panels]]
name = "old"
base_url = "https://o/"
api_token = "t"
version = "3.0.2"
[[panels]]
name = "probed"
base_url = "https://p/"
api_token = "t"
version = "auto"
[[panels]]
name = "typo"
base_url = "https://t/"
api_token = "t"
version = "3.1-beta"
)"};
  auto r = load(f.path, {}, app::config_validators());
  EXPECT_FALSE(mentions(r, "panels[0].version"));
  EXPECT_FALSE(mentions(r, "panels[1].version"));
  EXPECT_FALSE(mentions(r, "panels[2].version"));
  EXPECT_TRUE(mentions(r, "panels[3].version: expected auto, legacy, 3.1 or a version"));
}

TEST(ConfigPanels, DescribeMasksPanelSecrets) {
  panels_file f{two_panels};
  auto r = load(f.path, {}, app::config_validators());
  ASSERT_TRUE(r.ok());
  auto text = describe(r.value);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_EQ(text.find("tok-abc"), std::string::npos);
  EXPECT_EQ(text.find("JBSWY3DPEHPK3PXP"), std::string::npos);
  EXPECT_NE(text.find("[[panels]]\nname = \"main\""), std::string::npos);
  EXPECT_NE(text.find("password = \"***\""), std::string::npos);
  EXPECT_NE(text.find("api_token = \"***\""), std::string::npos);
  EXPECT_NE(help_text().find("VPNBOT_PANEL_<NAME>_PASSWORD"), std::string::npos);
}

TEST(ConfigPanels, KindIs3xUiUnlessRemnawaveIsAskedFor) {
  panels_file f{R"([[panels]]
name = "old"
base_url = "https://o/"
username = "u"
password = "p"
[[panels]]
name = "rw"
kind = "remnawave"
base_url = "https://panel.example.com/"
api_token = "rw-token"
squads = "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8, 0a0a0a0a-0000-4000-8000-000000000001"
)"};
  auto r = load(f.path, {}, app::config_validators());
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.value.panels[0].kind, "3x-ui");  // no kind: 3x-ui, as before
  EXPECT_EQ(r.value.panels[1].kind, "remnawave");
  EXPECT_EQ(r.value.panels[1].api_token, "rw-token");
  auto text = describe(r.value);
  EXPECT_EQ(text.find("rw-token"), std::string::npos);
  EXPECT_NE(text.find("kind = \"remnawave\""), std::string::npos);
}

TEST(ConfigPanels, RemnawaveNeedsItsTokenAndNoLoginAndAnUnknownKindIsRefused) {
  panels_file f{R"([[panels]]
name = "no-token"
kind = "remnawave"
base_url = "https://panel.example.com/"
[[panels]]
name = "with-login"
kind = "remnawave"
base_url = "https://panel.example.com/"
api_token = "t"
username = "admin"
password = "p"
[[panels]]
name = "marzban"
kind = "marzban"
base_url = "https://m/"
api_token = "t"
[[panels]]
name = "bad-squad"
kind = "remnawave"
base_url = "https://panel.example.com/"
api_token = "t"
squads = "not-a-uuid"
)"};
  auto r = load(f.path, {}, app::config_validators());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(mentions(r, "panels[0].api_token: expected the Remnawave API token"));
  EXPECT_FALSE(mentions(r, "panels[0].password"));
  EXPECT_TRUE(mentions(r, "panels[1].username: not used by a Remnawave panel"));
  EXPECT_TRUE(mentions(r, "panels[2].kind: expected \"3x-ui\" or \"remnawave\", not \"marzban\""));
  EXPECT_TRUE(mentions(r, "panels[3].squads: expected internal squad UUIDs"));
}

}  // namespace
}  // namespace vpnbot::config
