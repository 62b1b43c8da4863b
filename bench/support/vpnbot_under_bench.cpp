#include "bench/support/vpnbot_under_bench.hpp"

#include <signal.h>
#include <stdlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "bench/support/pg_counters.hpp"
#include "bench/support/proc_stats.hpp"
#include "support/service_process.hpp"

namespace vpnbot::bench {

namespace {

using namespace std::chrono_literals;

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// A loopback port free now. The service logs the port it got only at info
// level, which would log every update too, so it is given one instead.
uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor probe{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  return probe.local_endpoint().port();
}

bool ready(uint16_t port) {
  try {
    return emulators::http_call(port, "GET", "/readyz").status == 200;
  } catch (const std::exception&) {
    return false;  // not listening yet
  }
}

}  // namespace

vpnbot_under_bench::vpnbot_under_bench(const std::string& binary, const lean_bot_api& api,
                                       std::map<std::string, std::string> settings)
    : api_(api),
      binary_(std::filesystem::absolute(binary).string()),
      settings_(std::move(settings)) {
  std::string pattern = "/tmp/vpnbot-bench-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  data_dir_ = pattern;
  cluster_dir_ = data_dir_ + "/pg";
  // service_process runs what VPNBOT_BINARY names.
  ::setenv("VPNBOT_BINARY", binary_.c_str(), 1);
  try {
    start();  // creates the cluster
    stop();
    preload_pg_stat_statements(cluster_dir_);
    start();
  } catch (...) {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
    throw;
  }
}

vpnbot_under_bench::~vpnbot_under_bench() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

pid_t vpnbot_under_bench::pid() const {
  return process_->pid();
}

void vpnbot_under_bench::start() {
  auto polls_before = api_.calls("getUpdates");
  auto port = free_port();
  std::map<std::string, std::string> env{
      {"VPNBOT_SERVICE_DATA_DIR", data_dir_},
      {"VPNBOT_DATABASE_URL", ""},
      {"VPNBOT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(port)},
      {"VPNBOT_LOG_LEVEL", "warn"},
      {"VPNBOT_TELEGRAM_TOKEN", api_.token()},
      {"VPNBOT_TELEGRAM_API_BASE", api_.api_base()},
      {"VPNBOT_TELEGRAM_MODE", "polling"},
      {"VPNBOT_TELEGRAM_POLL_TIMEOUT", "10s"},
      {"VPNBOT_TELEGRAM_CONFLICT_BACKOFF", "100ms"},
      {"VPNBOT_TELEGRAM_GLOBAL_RATE", "10000"},
      {"VPNBOT_TELEGRAM_CHAT_RATE", "1000"},
      {"VPNBOT_TELEGRAM_CHAT_BURST", "1000"},
      {"VPNBOT_TELEGRAM_FLOOD_LIMIT", "100000"}};
  for (const auto& [key, value] : settings_) env[key] = value;
  process_ = std::make_unique<testing_support::service_process>(std::vector<std::string>{}, env);
  auto running = [&] { return !process_->wait_exit(0ms); };
  if (!eventually([&] { return !running() || ready(port); }, 120s) || !running()) {
    auto exit = process_->wait_exit(0ms);
    std::string output = exit ? " (exited with " + std::to_string(*exit) + ")" : "";
    for (const auto& line : process_->lines()) output += "\n  " + line;
    throw std::runtime_error(binary_ + " did not become ready" + output);
  }
  if (!eventually([&] { return api_.calls("getUpdates") > polls_before; }, 120s))
    throw std::runtime_error("vpnbot does not poll getUpdates");
}

void vpnbot_under_bench::stop() {
  if (!process_) return;
  if (process_->wait_exit(0ms)) {  // already ended (and reaped): nothing to signal
    process_.reset();
    return;
  }
  process_->signal(SIGTERM);
  if (!process_->wait_exit(60s)) {
    // Killed, it cannot stop its PostgreSQL: stop that too (fast shutdown).
    process_->signal(SIGKILL);
    process_->wait_exit(10s);
    if (auto postmaster = postmaster_pid(cluster_dir_)) ::kill(*postmaster, SIGINT);
  }
  process_.reset();
}

}  // namespace vpnbot::bench
