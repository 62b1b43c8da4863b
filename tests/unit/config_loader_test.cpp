#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "app/config_validators.hpp"
#include "config/loader.hpp"
#include "config/schema/value_text.hpp"

namespace vpnbot::config {
namespace {

// A config file that removes itself when the test is done with it.
struct temp_config {
  std::string path;
  explicit temp_config(const std::string& text) {
    static int n = 0;
    path = testing::TempDir() + "vpnbot_cfg_" + std::to_string(::getpid()) + "_" +
           std::to_string(n++) + ".toml";
    std::ofstream(path) << text;
  }
  ~temp_config() { std::remove(path.c_str()); }
  operator std::string() const { return path; }
};

temp_config write_temp(const std::string& text) {
  return temp_config{text};
}

bool mentions(const load_result& r, const std::string& needle) {
  for (const auto& e : r.errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

TEST(ConfigLoader, DefaultsAreValid) {
  auto r = load(std::nullopt, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.http.listen_port, 8080);
  EXPECT_EQ(r.value.database.embedded_dir, "./var/pg");
}

TEST(ConfigLoader, FileValuesAreRead) {
  auto path = write_temp(R"([http]
listen = "0.0.0.0:9090"
body_limit = 2048
[supervision]
within = "30s"
backoff_min = "250ms"
[telegram]
token = "123:abc"
)");
  auto r = load(path, {});
  ASSERT_TRUE(r.ok()) << r.errors.front();
  EXPECT_EQ(r.value.http.listen_host, "0.0.0.0");
  EXPECT_EQ(r.value.http.listen_port, 9090);
  EXPECT_EQ(r.value.http.body_limit, 2048u);
  EXPECT_EQ(r.value.supervision.within, std::chrono::seconds(30));
  EXPECT_EQ(r.value.supervision.backoff_min, std::chrono::milliseconds(250));
  EXPECT_EQ(r.value.telegram.token, "123:abc");
}

TEST(ConfigLoader, EnvironmentOverridesFile) {
  auto path = write_temp("[http]\nlisten = \"0.0.0.0:9090\"\n");
  auto r = load(path, {{"VPNBOT_HTTP_LISTEN", "127.0.0.1:7000"},
                       {"VPNBOT_HTTP_CLIENT_VERIFY_TLS", "false"},
                       {"VPNBOT_DATABASE_POOL_SIZE", "8"},
                       {"VPNBOT_BOT_PAYMENT_TTL", "15m"},
                       {"VPNBOT_WORKERS_BUDGET", "5s"},
                       {"VPNBOT_WORKERS_TRAFFIC_INTERVAL", "1m"}});
  ASSERT_TRUE(r.ok()) << r.errors.front();
  EXPECT_EQ(r.value.http.listen_port, 7000);
  EXPECT_FALSE(r.value.http_client.verify_tls);
  EXPECT_EQ(r.value.database.pool_size, 8u);
  EXPECT_EQ(r.value.bot.payment_ttl, std::chrono::minutes(15));
  EXPECT_EQ(r.value.workers.budget, std::chrono::seconds(5));
  EXPECT_EQ(r.value.workers.traffic_interval, std::chrono::minutes(1));
}

TEST(ConfigLoader, WrongValuesNameTheKeyAndTheExpectation) {
  auto r = load(std::nullopt, {{"VPNBOT_HTTP_LISTEN", "nonsense"},
                               {"VPNBOT_DATABASE_POOL_SIZE", "0"},
                               {"VPNBOT_LOG_LEVEL", "loud"},
                               {"VPNBOT_SUPERVISION_WITHIN", "ten"},
                               {"VPNBOT_BOT_PAYMENT_TTL", "10s"}});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(mentions(r, "http.listen (from VPNBOT_HTTP_LISTEN): expected host:port"));
  EXPECT_TRUE(mentions(r, "database.pool_size (from VPNBOT_DATABASE_POOL_SIZE): expected a whole"));
  EXPECT_TRUE(mentions(r, "log.level"));
  EXPECT_TRUE(mentions(r, "supervision.within"));
  EXPECT_TRUE(mentions(r, "bot.payment_ttl"));
}

TEST(ConfigLoader, TheSchedulerPolicyIsSharingUnlessStealingIsAsked) {
  EXPECT_EQ(load(std::nullopt, {}).value.service.scheduler_policy, "sharing");
  auto stealing = load(std::nullopt, {{"VPNBOT_SERVICE_SCHEDULER_POLICY", "stealing"}});
  ASSERT_TRUE(stealing.ok());
  EXPECT_EQ(stealing.value.service.scheduler_policy, "stealing");
  auto bad = load(std::nullopt, {{"VPNBOT_SERVICE_SCHEDULER_POLICY", "fast"}});
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(mentions(bad,
                       "service.scheduler_policy (from VPNBOT_SERVICE_SCHEDULER_POLICY): "
                       "expected sharing or stealing"));
}

TEST(ConfigLoader, AClusterNeedsASharedDatabaseAndValidAddresses) {
  auto single = load(std::nullopt, {});
  EXPECT_FALSE(single.value.cluster.enabled());
  EXPECT_EQ(single.value.cluster.lease_ttl, std::chrono::seconds(6));
  auto embedded = load(std::nullopt, {{"VPNBOT_CLUSTER_LISTEN", "127.0.0.1:4300"}});
  EXPECT_FALSE(embedded.ok());
  EXPECT_TRUE(mentions(embedded, "cluster.listen: expected database.url as well"));
  auto ok = load(std::nullopt, {{"VPNBOT_CLUSTER_LISTEN", "10.0.0.1:4300"},
                                {"VPNBOT_CLUSTER_SEEDS", "10.0.0.2:4300, 10.0.0.3:4300"},
                                {"VPNBOT_CLUSTER_LEASE_TTL", "10s"},
                                {"VPNBOT_DATABASE_URL", "postgresql://db/vpnbot"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok.value.cluster.enabled());
  EXPECT_EQ(ok.value.cluster.listen_host, "10.0.0.1");
  EXPECT_EQ(ok.value.cluster.listen_port, 4300);
  EXPECT_EQ(ok.value.cluster.seeds, (std::vector<std::string>{"10.0.0.2:4300", "10.0.0.3:4300"}));
  EXPECT_EQ(ok.value.cluster.lease_ttl, std::chrono::seconds(10));
  auto bad_seed = load(std::nullopt, {{"VPNBOT_CLUSTER_SEEDS", "10.0.0.2"}});
  EXPECT_FALSE(bad_seed.ok());
  EXPECT_TRUE(mentions(bad_seed, "cluster.seeds (from VPNBOT_CLUSTER_SEEDS): expected host:port"));
  auto short_ttl = load(std::nullopt, {{"VPNBOT_CLUSTER_LEASE_TTL", "1s"}});
  EXPECT_FALSE(short_ttl.ok());
}

// Found by the config_loader fuzz target: a duration beyond what
// milliseconds hold wrapped around (signed overflow) instead of being refused.
TEST(ConfigLoader, ADurationTooLongForMillisecondsIsRefusedNotWrapped) {
  auto r = load(std::nullopt, {{"VPNBOT_WORKERS_INTERVAL", "00060000000000000019s"}});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(mentions(r, "workers.interval"));
  for (const auto* text : {"9223372036854775808ms", "9223372036854776s", "153722867280913m",
                           "2562047788016h", "106751991168d"})
    EXPECT_FALSE(parse_duration(text)) << text;
  EXPECT_EQ(parse_duration("9223372036854775807ms")->count(), 9223372036854775807);
  EXPECT_EQ(parse_duration("106751991167d")->count(), 106751991167 * 86'400'000);
  EXPECT_EQ(parse_duration("90s")->count(), 90'000);
}

TEST(ConfigLoader, TheHttpEdgeKeysAreReadAndCheckedAtStart) {
  auto r = load(write_temp("[http]\nlisten = \"0.0.0.0:8080\"\nmetrics_listen = \"[::1]:9100\"\n"
                           "trusted_proxies = \"127.0.0.1/32, 10.0.0.0/8,::1\"\n"
                           "webhook_body_limit = 32768\n"
                           "[payments]\nwebhook_failures_per_minute = 5\n"
                           "[workers]\nkeep_unverified_webhooks = \"2d\"\n"),
                {}, app::config_validators());
  ASSERT_TRUE(r.ok()) << r.errors.front();
  EXPECT_EQ(r.value.http.metrics_listen_host, "::1");
  EXPECT_EQ(r.value.http.metrics_listen_port, 9100);
  EXPECT_EQ(r.value.http.trusted_proxies,
            (std::vector<std::string>{"127.0.0.1/32", "10.0.0.0/8", "::1"}));
  EXPECT_EQ(r.value.http.webhook_body_limit, 32768u);
  EXPECT_EQ(r.value.payments.webhook_failures_per_minute, 5u);
  EXPECT_EQ(r.value.workers.keep_unverified_webhooks, std::chrono::hours(48));

  auto bad = load(std::nullopt,
                  {{"VPNBOT_HTTP_TRUSTED_PROXIES", "127.0.0.1/33"},
                   {"VPNBOT_HTTP_METRICS_LISTEN", "9100"},
                   {"VPNBOT_PAYMENTS_WEBHOOK_FAILURES_PER_MINUTE", "0"},
                   {"VPNBOT_HTTP_WEBHOOK_BODY_LIMIT", "10"}},
                  app::config_validators());
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(
      mentions(bad, "http.trusted_proxies (from VPNBOT_HTTP_TRUSTED_PROXIES): expected CIDR"));
  EXPECT_TRUE(mentions(bad, "127.0.0.1/33"));
  EXPECT_TRUE(
      mentions(bad, "http.metrics_listen (from VPNBOT_HTTP_METRICS_LISTEN): expected host:port"));
  EXPECT_TRUE(mentions(bad, "payments.webhook_failures_per_minute"));
  EXPECT_TRUE(mentions(bad, "http.webhook_body_limit"));
  auto same = load(std::nullopt, {{"VPNBOT_HTTP_LISTEN", "127.0.0.1:8080"},
                                  {"VPNBOT_HTTP_METRICS_LISTEN", "127.0.0.1:8080"}});
  EXPECT_TRUE(mentions(same, "http.metrics_listen: expected an address other than http.listen"));
}

TEST(ConfigLoader, UnknownKeysAndSyntaxErrorsAreReported) {
  auto r = load(write_temp("[http]\nlisten_adress = \"x\"\n"), {});
  EXPECT_TRUE(mentions(r, "http.listen_adress: unknown key"));
  auto broken = load(write_temp("[http\nlisten="), {});
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.errors.front().find(":1:"), std::string::npos) << broken.errors.front();
}

TEST(ConfigLoader, UnknownEnvironmentVariableIsOnlyAWarning) {
  auto r = load(std::nullopt, {{"VPNBOT_NOT_A_KEY", "1"}});
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.warnings.size(), 1u);
}

TEST(ConfigLoader, WebhookModeNeedsUrlAndSecret) {
  auto r = load(std::nullopt, {{"VPNBOT_TELEGRAM_MODE", "webhook"}});
  EXPECT_TRUE(mentions(r, "telegram.webhook_url"));
  EXPECT_TRUE(mentions(r, "telegram.webhook_secret"));
  auto bad = load(std::nullopt, {{"VPNBOT_TELEGRAM_WEBHOOK_SECRET", "has space"}});
  EXPECT_TRUE(mentions(bad, "telegram.webhook_secret"));
}

TEST(ConfigLoader, CoinGateNeedsItsCallbackSecretAndPublicUrlAndHidesBoth) {
  auto off = load(std::nullopt, {});
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(std::count(off.value.bot.payment_methods.begin(), off.value.bot.payment_methods.end(),
                       "coingate"),
            0);  // not configured: not offered
  auto half = load(std::nullopt, {{"VPNBOT_COINGATE_AUTH_TOKEN", "cg-token"}});
  EXPECT_TRUE(mentions(half, "coingate.callback_secret"));
  EXPECT_TRUE(mentions(half, "coingate.public_url"));
  auto r = load(std::nullopt, {{"VPNBOT_COINGATE_AUTH_TOKEN", "cg-token"},
                               {"VPNBOT_COINGATE_CALLBACK_SECRET", "cg-callback"},
                               {"VPNBOT_COINGATE_PUBLIC_URL", "https://vpn.example.com"}});
  ASSERT_TRUE(r.ok()) << r.errors.front();
  EXPECT_EQ(r.value.bot.payment_methods.back(), "coingate");
  EXPECT_EQ(r.value.coingate.api_base, "https://api.coingate.com/v2");
  auto text = describe(r.value);
  EXPECT_EQ(text.find("cg-token"), std::string::npos);
  EXPECT_EQ(text.find("cg-callback"), std::string::npos);
}

TEST(ConfigLoader, DescribeRedactsSecrets) {
  auto r = load(std::nullopt, {{"VPNBOT_TELEGRAM_TOKEN", "123456:SECRETVALUE"},
                               {"VPNBOT_DATABASE_URL", "postgresql://bot:hunter2@db:5432/vpn"}});
  ASSERT_TRUE(r.ok());
  auto text = describe(r.value);
  EXPECT_EQ(text.find("SECRETVALUE"), std::string::npos);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_NE(text.find("token = \"***\""), std::string::npos);
  EXPECT_NE(text.find("postgresql://bot:***@db:5432/vpn"), std::string::npos);
}

TEST(ConfigLoader, HelpListsEveryKeyWithItsVariable) {
  auto text = help_text();
  EXPECT_NE(text.find("VPNBOT_HTTP_LISTEN"), std::string::npos);
  EXPECT_NE(text.find("VPNBOT_DATABASE_URL"), std::string::npos);
  EXPECT_NE(text.find("VPNBOT_TELEGRAM_TOKEN"), std::string::npos);
}

}  // namespace
}  // namespace vpnbot::config

namespace vpnbot::config {
namespace {

TEST(ConfigLoader, ShippedExampleIsValidAndMatchesDefaults) {
  auto r = load(std::string(VPNBOT_SOURCE_DIR) + "/config/vpnbot.example.toml", {},
                app::config_validators());
  ASSERT_TRUE(r.ok()) << r.errors.front();
  auto defaults = load(std::nullopt, {});
  EXPECT_EQ(describe(r.value), describe(defaults.value));
}

}  // namespace
}  // namespace vpnbot::config
