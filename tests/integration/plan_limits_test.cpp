// A plan's traffic and device limits (bot.plans "...:gb=N,devices=N", stored
// as plans.traffic_limit_bytes and plans.device_limit) reach the panel's
// client on create and on extend (3x-ui: totalGB in bytes and limitIp;
// Remnawave: trafficLimitBytes and hwidDeviceLimit), and show in My
// subscriptions; on 3x-ui the key message carries the panel's subscription
// URL next to the vless:// link when the panel serves one; on Remnawave a
// plan with link=raw sends the panel's own vless:// link (its connection
// keys) next to the subscription URL. The whole service against the
// Telegram emulator and each kind of panel.

#include <gtest/gtest.h>

#include <thread>

#include "adapters/db/jobs_repository.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/plan_catalog.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"
#include "support/panel_under_test.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t gib = 1024LL * 1024 * 1024;

// The trial's key message, once the client exists.
std::string trial_key(bot_api_emulator& emu, int64_t user) {
  emu.push_text(user, "/start");
  EXPECT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(user, 70, "m:trial");
  EXPECT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  auto messages = emu.calls("sendMessage");
  return messages.size() >= 2 ? messages[1].params.value("text", "") : "";
}

struct PlanLimits : fresh_database, ::testing::WithParamInterface<panel_kind> {
  panel_under_test panel{GetParam()};
  bot_api_emulator emu;

  config::settings settings(const std::string& sub_base = "") {
    auto s = bot_test_settings(url, emu);
    auto p = panel.panel_settings();
    p.public_host = "vpn.example.com";
    p.sub_base = sub_base;
    s.panels = {p};
    s.panel_defaults.connect_timeout = 2s;
    s.panel_defaults.call_timeout = 2s;
    EXPECT_FALSE(config::parse_plan_catalog(
        "trial:3:trial:gb=5,devices=2; m1:30:RUB=19900,XTR=150:gb=100,devices=3", s.bot.plans));
    return s;
  }

  std::string trial_key(int64_t user) { return testing_support::trial_key(emu, user); }
};

TEST_P(PlanLimits, ReachThePanelClientOnCreateAndOnExtend) {
  bot_harness bot(settings());
  EXPECT_EQ(bot.query("SELECT string_agg(code || ':' || traffic_limit_bytes || ':' || device_limit,"
                      " ',' ORDER BY sort_order) FROM plans"),
            "trial:" + std::to_string(5 * gib) + ":2,m1:" + std::to_string(100 * gib) + ":3");
  trial_key(81);
  auto email = bot.query("SELECT client_email FROM subscriptions");
  auto created = panel.client(email);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->total_bytes, 5 * gib);
  EXPECT_EQ(created->limit_ip, 2);
  EXPECT_EQ(created->tg_id, 81);
  EXPECT_EQ(metrics::global().value("vpnbot_panel_info", {{"panel", "main"}, {"api", panel.api()}}),
            1);

  // The operator raises the trial's limits: the next extend carries them.
  bot.query("UPDATE plans SET device_limit = 4, traffic_limit_bytes = " + std::to_string(8 * gib) +
            " WHERE code = 'trial'");
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::enqueue_job(tx, "extend_client", std::stoll(bot.query("SELECT id FROM subscriptions")),
                    json::object(), "test-extend");
    tx.commit();
  }
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && c->limit_ip == 4 && c->total_bytes == 8 * gib;
  }));

  emu.push_callback(81, 70, "s:" + bot.query("SELECT id FROM subscriptions"));
  ASSERT_TRUE(emu.wait_for_calls("editMessageText", 2, 10s));
  auto details = emu.calls("editMessageText")[1].params["text"].get<std::string>();
  EXPECT_NE(details.find("Devices: up to 4 at once"), std::string::npos) << details;
  EXPECT_NE(details.find("Traffic: "), std::string::npos) << details;
  EXPECT_EQ(panel.call_count(panel_call::create), 1u);
  EXPECT_EQ(panel.call_count(panel_call::remove), 0u);
}

// A subscription URL of the panel's own (sub_base) is a 3x-ui setting;
// Remnawave's key is always its subscription URL (ActivationRestart,
// WorkersFullLife).
struct PlanLimitsXui : PlanLimits {};

TEST_P(PlanLimitsXui, TheKeyMessageShowsTheSubscriptionUrlWhenThePanelHasOne) {
  bot_harness bot(settings("https://vpn.example.com:2096/sub/"));
  auto text = trial_key(82);
  auto sub_id = bot.query("SELECT sub_id FROM subscriptions");
  EXPECT_NE(text.find("vless://" + bot.query("SELECT client_uuid FROM subscriptions")),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("<code>https://vpn.example.com:2096/sub/" + sub_id + "</code>"),
            std::string::npos)
      << text;
}

TEST_P(PlanLimitsXui, WithoutASubscriptionUrlTheKeyMessageHasTheLinkOnly) {
  bot_harness bot(settings());
  auto text = trial_key(83);
  EXPECT_NE(text.find("vless://"), std::string::npos) << text;
  EXPECT_EQ(text.find("Subscription URL"), std::string::npos) << text;
}

// A Remnawave plan with link=raw.
struct RawLink : fresh_database {
  panel_under_test panel{panel_kind::remnawave};
  bot_api_emulator emu;

  config::settings settings() {
    auto s = bot_test_settings(url, emu);
    s.panels = {panel.panel_settings()};
    s.panel_defaults.connect_timeout = 2s;
    s.panel_defaults.call_timeout = 2s;
    s.panel_defaults.max_attempts = 2;
    s.panel_defaults.retry_backoff_min = 10ms;
    s.panel_defaults.retry_backoff_max = 20ms;
    s.panel_defaults.job_retry_min = 200ms;
    EXPECT_FALSE(
        config::parse_plan_catalog("trial:3:trial:link=raw; m1:30:RUB=19900", s.bot.plans));
    return s;
  }

  std::string sub_url(bot_harness& bot) {
    return panel.remnawave()->options().sub_public_url + "/" +
           bot.query("SELECT sub_id FROM subscriptions");
  }
};

TEST_F(RawLink, TheKeyIsThePanelsVlessLinkWithTheSubscriptionUrlBesideIt) {
  // The first vless key, though a trojan host comes first.
  panel.remnawave()->set_hosts(
      {{"trojan", "de.vpn.example.com", 8443, "DE"}, {"vless", "nl.vpn.example.com", 443, "NL"}});
  bot_harness bot(settings());
  EXPECT_EQ(bot.query("SELECT string_agg(code || ':' || raw_link, ',' ORDER BY sort_order) "
                      "FROM plans"),
            "trial:true,m1:false");
  auto text = trial_key(emu, 84);
  auto uuid = bot.query("SELECT client_uuid FROM subscriptions");
  auto vless = "vless://" + uuid + "@nl.vpn.example.com:443";
  EXPECT_NE(text.find("<code>" + vless), std::string::npos) << text;
  EXPECT_NE(text.find("<code>" + sub_url(bot) + "</code>"), std::string::npos) << text;
  EXPECT_EQ(text.find("trojan://"), std::string::npos) << text;
  EXPECT_TRUE(bot.query("SELECT access_link FROM subscriptions").starts_with(vless));
  EXPECT_EQ(emu.calls("sendPhoto").size(), 1u);
  EXPECT_EQ(panel.remnawave()->call_count(emulators::remnawave_op::connection_keys), 1u);
  EXPECT_EQ(panel.call_count(panel_call::create), 1u);
}

TEST_F(RawLink, APanelWithoutHostsGetsTheSubscriptionUrlAlone) {
  panel.remnawave()->set_hosts({});
  bot_harness bot(settings());
  auto text = trial_key(emu, 85);
  EXPECT_NE(text.find("<code>" + sub_url(bot) + "</code>"), std::string::npos) << text;
  EXPECT_EQ(text.find("vless://"), std::string::npos) << text;
  EXPECT_EQ(text.find("Subscription URL"), std::string::npos) << text;
  EXPECT_EQ(bot.query("SELECT access_link FROM subscriptions"), sub_url(bot));
}

// The keys cannot be read for a whole job attempt: the job is retried, the
// retry adopts the user it made, and the key goes out once.
TEST_F(RawLink, KeysThatCannotBeReadAreRetriedAndTheKeyIsSentOnce) {
  panel.remnawave()->fail_next(emulators::remnawave_op::connection_keys, 2, 503);
  bot_harness bot(settings());
  auto text = trial_key(emu, 86);
  EXPECT_NE(text.find("vless://" + bot.query("SELECT client_uuid FROM subscriptions")),
            std::string::npos)
      << text;
  EXPECT_EQ(bot.query("SELECT attempts || ':' || state FROM jobs WHERE kind = 'create_client'"),
            "2:done");
  EXPECT_EQ(panel.remnawave()->call_count(emulators::remnawave_op::connection_keys), 3u);
  EXPECT_EQ(panel.call_count(panel_call::create), 1u);
  EXPECT_EQ(panel.remnawave()->users().size(), 1u);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(emu.calls("sendPhoto").size(), 1u);
  std::size_t keys = 0;
  for (const auto& m : emu.calls("sendMessage"))
    if (m.params.value("text", "").find("vless://") != std::string::npos) ++keys;
  EXPECT_EQ(keys, 1u);
}

INSTANTIATE_TEST_SUITE_P(Panels, PlanLimits, ::testing::ValuesIn(all_panel_kinds), panel_kind_name);
INSTANTIATE_TEST_SUITE_P(Panels, PlanLimitsXui,
                         ::testing::Values(panel_kind::xui_legacy, panel_kind::xui_31),
                         panel_kind_name);

}  // namespace
}  // namespace vpnbot::testing_support
