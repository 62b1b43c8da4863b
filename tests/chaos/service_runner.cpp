#include "chaos/service_runner.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "adapters/emulators/http_call.hpp"

namespace vpnbot::chaos {

using namespace std::chrono_literals;

uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

service_runner::service_runner(std::vector<std::string> args,
                               std::map<std::string, std::string> env, uint16_t port)
    : args_(std::move(args)), env_(std::move(env)), port_(port) {
  env_["VPNBOT_HTTP_LISTEN"] = "127.0.0.1:" + std::to_string(port_);
}

service_runner::~service_runner() {
  std::lock_guard guard{mutex_};
  process_.reset();
}

void service_runner::start() {
  std::lock_guard guard{mutex_};
  process_ = std::make_unique<testing_support::service_process>(args_, env_);
  wait_until_serving();
}

void service_runner::wait_until_serving() {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (emulators::http_call(port_, "GET", "/healthz", {}, {}, 1s).status == 200) return;
    } catch (const std::exception&) {
      // not listening yet
    }
    if (process_->wait_exit(0ms)) break;
    std::this_thread::sleep_for(50ms);
  }
  throw std::runtime_error("vpnbot did not start serving on port " + std::to_string(port_));
}

void service_runner::keep_complaints() {
  for (auto& line : process_->lines())
    if (line.find("\"level\":\"warn") != std::string::npos ||
        line.find("\"level\":\"error") != std::string::npos)
      complaints_.push_back(std::move(line));
}

void service_runner::kill_and_restart() {
  std::lock_guard guard{mutex_};
  process_->signal(SIGKILL);
  process_->wait_exit(10s);
  keep_complaints();
  process_ = std::make_unique<testing_support::service_process>(args_, env_);
  wait_until_serving();
}

bool service_runner::restart_if_exited() {
  std::lock_guard guard{mutex_};
  if (!process_->wait_exit(0ms)) return false;
  keep_complaints();
  process_ = std::make_unique<testing_support::service_process>(args_, env_);
  wait_until_serving();
  return true;
}

std::optional<int> service_runner::stop() {
  std::lock_guard guard{mutex_};
  process_->signal(SIGTERM);
  auto code = process_->wait_exit(30s);
  keep_complaints();
  return code;
}

std::vector<std::string> service_runner::complaints() const {
  std::lock_guard guard{mutex_};
  return complaints_;
}

}  // namespace vpnbot::chaos
