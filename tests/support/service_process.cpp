#include "support/service_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

extern char** environ;

namespace vpnbot::testing_support {

using namespace emulators;

std::map<std::string, std::string> service_env(const std::string& database_url,
                                               const bot_api_emulator& emu) {
  return {{"VPNBOT_DATABASE_URL", database_url},
          {"VPNBOT_HTTP_LISTEN", "127.0.0.1:0"},
          {"VPNBOT_LOG_LEVEL", "warn"},
          {"VPNBOT_TELEGRAM_TOKEN", emu.token()},
          {"VPNBOT_TELEGRAM_API_BASE", emu.api_base()},
          {"VPNBOT_TELEGRAM_POLL_TIMEOUT", "1s"},
          {"VPNBOT_TELEGRAM_CONFLICT_BACKOFF", "200ms"}};
}

std::string vpnbot_binary() {
  const char* p = std::getenv("VPNBOT_BINARY");
  if (!p) throw std::runtime_error("VPNBOT_BINARY is not set (run the tests through ctest)");
  return p;
}

service_process::service_process(std::vector<std::string> args,
                                 std::map<std::string, std::string> env) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto name = entry.substr(0, entry.find('='));
    // The child sees only the VPNBOT_* variables the test chose.
    if (name.rfind("VPNBOT_", 0) == 0) continue;
    if (env.count(name)) continue;
    env_strings.push_back(entry);
  }
  for (auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  auto binary = vpnbot_binary();
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(fds[1], STDERR_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  reader_ = std::thread([this, fd = fds[0]] { read_loop(fd); });
}

service_process::~service_process() {
  if (!exit_code_) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(10));
  }
  if (reader_.joinable()) reader_.join();
}

void service_process::read_loop(int fd) {
  std::string pending;
  char buf[4096];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::lock_guard guard{mutex_};
      lines_.push_back(pending.substr(0, nl));
      pending.erase(0, nl + 1);
      changed_.notify_all();
    }
  }
  ::close(fd);
  std::lock_guard guard{mutex_};
  if (!pending.empty()) lines_.push_back(pending);
  eof_ = true;
  changed_.notify_all();
}

std::optional<nlohmann::json> service_process::wait_for_log(
    const std::function<bool(const nlohmann::json&)>& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock{mutex_};
  size_t seen = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (; seen < lines_.size(); ++seen) {
      auto j = nlohmann::json::parse(lines_[seen], nullptr, false);
      if (!j.is_discarded() && pred(j)) return j;
    }
    if (eof_) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && seen == lines_.size())
      return std::nullopt;
  }
}

std::optional<uint16_t> service_process::wait_for_http_port(std::chrono::milliseconds timeout) {
  auto line = wait_for_log(
      [](const nlohmann::json& j) {
        return j.value("component", "") == "http_server" && j.value("message", "") == "listening" &&
               j.contains("fields") && j["fields"].contains("port");
      },
      timeout);
  if (!line) return std::nullopt;
  return (*line)["fields"]["port"].get<uint16_t>();
}

void service_process::signal(int sig) {
  ::kill(pid_, sig);
}

std::optional<int> service_process::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    auto r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      // The reader may not have drained the pipe yet: what the child wrote
      // last belongs to its output. Bounded, since a grandchild (the
      // embedded PostgreSQL) can hold the pipe open past the exit.
      std::unique_lock lock{mutex_};
      changed_.wait_for(lock, std::chrono::seconds(2), [this] { return eof_; });
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<std::string> service_process::lines() const {
  std::lock_guard guard{mutex_};
  return lines_;
}

}  // namespace vpnbot::testing_support
