// The real vpnbot binary, started as a process: configuration errors,
// --check-config, health endpoints, metrics, graceful stop and a crash loop
// that ends in a non-zero exit.

#include "support/service_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
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

TEST(ServiceProcess, ServesHealthReadinessAndMetrics) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  service_process p({}, base_env());
  auto port = p.wait_for_http_port(60s);
  ASSERT_TRUE(port) << "no listening line";
  EXPECT_EQ(http_call(*port, "GET", "/healthz").status, 200);
  // Readiness follows the tree: poll briefly while the pool connects.
  int ready = 0;
  for (int i = 0; i < 100 && ready != 200; ++i) {
    ready = http_call(*port, "GET", "/readyz").status;
    if (ready != 200) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(ready, 200);
  auto metrics = http_call(*port, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("version=0.0.4"), std::string::npos);
  for (const char* series : {"vpnbot_supervisor_children_running{supervisor=\"root\"} 3",
                             "vpnbot_supervisor_child_up{supervisor=\"storage\",child=\"db-1\"} 1",
                             "vpnbot_http_requests_total{", "vpnbot_process_resident_memory_bytes ",
                             "vpnbot_actor_messages_total{kind=\"db_pool\"}", "vpnbot_build_info{"})
    EXPECT_NE(metrics.body.find(series), std::string::npos) << series;
  EXPECT_TRUE(any_line_contains(p, "Set VPNBOT_TELEGRAM_TOKEN"));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(60s), 0);
}

// scripts/deploy.sh's proof that the configuration it validated is the one
// running: the digest --check-config prints is the one /readyz reports.
TEST(ServiceProcess, ReadyzReportsTheDigestCheckConfigPrints) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  auto env = base_env();
  std::string printed;
  {
    service_process check({"--check-config"}, env);
    ASSERT_EQ(check.wait_exit(30s), 0);
    for (const auto& l : check.lines())
      if (l.rfind("# config_digest ", 0) == 0) printed = l.substr(16);
  }
  ASSERT_EQ(printed.size(), 16u) << "no '# config_digest' line";
  service_process p({}, env);
  auto port = p.wait_for_http_port(60s);
  ASSERT_TRUE(port) << "no listening line";
  http_result ready;
  for (int i = 0; i < 100 && ready.status != 200; ++i) {
    ready = http_call(*port, "GET", "/readyz");
    if (ready.status != 200) std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(ready.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ready.body).value("config_digest", ""), printed) << ready.body;
  // Another value, another digest: the running one is not a constant.
  env["VPNBOT_LOG_LEVEL"] = "warn";
  service_process other({"--check-config"}, env);
  ASSERT_EQ(other.wait_exit(30s), 0);
  EXPECT_FALSE(any_line_contains(other, "# config_digest " + printed));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(60s), 0);
}

TEST(ServiceProcess, CrashLoopEscalatesToTheRootAndExitsNonZero) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  // A port that stays busy makes the HTTP server fail at every start.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor busy{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  auto env = base_env();
  env["VPNBOT_HTTP_LISTEN"] = "127.0.0.1:" + std::to_string(busy.local_endpoint().port());
  env["VPNBOT_SUPERVISION_BACKOFF_MIN"] = "10ms";
  env["VPNBOT_SUPERVISION_BACKOFF_MAX"] = "50ms";
  service_process p({}, env);
  EXPECT_EQ(p.wait_exit(60s), 1);
  auto failure = p.wait_for_log(
      [](auto& j) { return j.value("message", "") == "root supervisor failed"; }, 1s);
  ASSERT_TRUE(failure);
  auto reason = (*failure)["fields"]["reason"].template get<std::string>();
  EXPECT_NE(reason.find("http_server"), std::string::npos) << reason;
  // The embedded or configured database was left cleanly either way.
  EXPECT_TRUE(any_line_contains(p, "restart intensity") ||
              reason.find("restarts") != std::string::npos)
      << reason;
}

}  // namespace
}  // namespace vpnbot::testing_support
