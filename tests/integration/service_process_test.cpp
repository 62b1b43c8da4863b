// The real vpnbot binary, started as a process: configuration errors,
// --check-config, health endpoints, metrics, graceful stop and a crash loop
// that ends in a non-zero exit.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/ip/tcp.hpp>

#include "support/http_call.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;

std::map<std::string, std::string> base_env() {
  std::map<std::string, std::string> env{{"VPNBOT_HTTP_LISTEN", "127.0.0.1:0"},
                                         {"VPNBOT_LOG_LEVEL", "info"},
                                         {"VPNBOT_SERVICE_SHUTDOWN_TIMEOUT", "20s"}};
  if (test_database_url()) {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    env["VPNBOT_DATABASE_URL"] = create_fresh_database(info->name());
  }
  return env;
}

bool any_line_contains(const service_process& p, const std::string& needle) {
  for (const auto& l : p.lines())
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

TEST(ServiceProcess, WrongConfigurationStopsWithTheKeyAndExitCode2) {
  service_process p({}, {{"VPNBOT_HTTP_BODY_LIMIT", "lots"}, {"VPNBOT_LOG_LEVEL", "chatty"}});
  EXPECT_EQ(p.wait_exit(30s), 2);
  EXPECT_TRUE(any_line_contains(p, "http.body_limit (from VPNBOT_HTTP_BODY_LIMIT)"));
  EXPECT_TRUE(any_line_contains(p, "log.level (from VPNBOT_LOG_LEVEL)"));
}

TEST(ServiceProcess, CheckConfigPrintsEffectiveValuesWithSecretsMasked) {
  service_process p({"--check-config"}, {{"VPNBOT_TELEGRAM_TOKEN", "4242:VERYSECRET"},
                                         {"VPNBOT_HTTP_LISTEN", "0.0.0.0:9999"}});
  EXPECT_EQ(p.wait_exit(30s), 0);
  EXPECT_TRUE(any_line_contains(p, "listen = \"0.0.0.0:9999\""));
  EXPECT_TRUE(any_line_contains(p, "token = \"***\""));
  EXPECT_FALSE(any_line_contains(p, "VERYSECRET"));
}

TEST(ServiceProcess, UnknownArgumentIsRefused) {
  service_process p({"--frobnicate"}, {});
  EXPECT_EQ(p.wait_exit(30s), 2);
  EXPECT_TRUE(any_line_contains(p, "unknown argument '--frobnicate'"));
}

TEST(ServiceProcess, StopsGracefullyOnSigterm) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  service_process p({}, base_env());
  ASSERT_TRUE(p.wait_for_log([](auto& j) { return j.value("message", "") == "starting"; }, 60s));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(60s), 0);
  EXPECT_TRUE(p.wait_for_log([](auto& j) { return j.value("message", "") == "stopped"; }, 1s));
}

}  // namespace
}  // namespace vpnbot::testing_support
