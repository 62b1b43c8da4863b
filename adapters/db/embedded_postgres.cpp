#include "adapters/db/embedded_postgres.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "adapters/db/db_error.hpp"
#include "adapters/http/url.hpp"
#include "adapters/log/logger.hpp"

namespace vpnbot::db {
namespace {

namespace fs = std::filesystem;

struct command_result {
  int status = -1;
  std::string output;
};

// Runs argv (no shell, so no quoting surprises) and collects its output.
command_result run(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid < 0) return {};
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  command_result r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) r.output.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string last_lines(const std::string& text, size_t n = 5) {
  size_t pos = text.size();
  for (size_t i = 0; i < n && pos != std::string::npos && pos > 0; ++i)
    pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos ? text : text.substr(pos + 1);
}

caf::error unavailable(const std::string& text) {
  return caf::make_error(db_errc::unavailable, "embedded PostgreSQL: " + text);
}

bool is_root() {
  return ::geteuid() == 0;
}

// argv prefixed so that it runs as `user` when we are root.
std::vector<std::string> as_user(const std::string& user, std::vector<std::string> argv) {
  if (!is_root()) return argv;
  argv.insert(argv.begin(), {"runuser", "-u", user, "--"});
  return argv;
}

caf::error ensure_system_user(const std::string& user) {
  if (::getpwnam(user.c_str())) return caf::none;
  auto r = run({"useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                "/usr/sbin/nologin", user});
  if (r.status != 0)
    return unavailable("cannot create system user '" + user + "': " + last_lines(r.output));
  log::info("db", "created system user for the embedded PostgreSQL", {{"user", user}});
  return caf::none;
}

// The server process needs to traverse every ancestor of its directory. A
// clone under /root would lock it out, so grant exactly that (search
// permission for this one user, through an ACL) where it is missing.
caf::error ensure_reachable(const fs::path& dir, const std::string& user) {
  for (auto p = dir.parent_path(); !p.empty(); p = p.parent_path()) {
    if (run({"runuser", "-u", user, "--", "test", "-x", p.string()}).status != 0) {
      auto r = run({"setfacl", "-m", "u:" + user + ":x", p.string()});
      if (r.status != 0)
        return unavailable("user '" + user + "' cannot reach " + p.string() +
                           " and setfacl failed (" + last_lines(r.output) +
                           "); set database.embedded_dir to a directory it can reach");
      log::info("db", "granted search permission for the embedded PostgreSQL",
                {{"user", user}, {"directory", p.string()}});
    }
    if (p == p.root_path()) break;
  }
  return caf::none;
}

}  // namespace

caf::expected<std::unique_ptr<embedded_postgres>> embedded_postgres::start(
    embedded_postgres_options opts) {
  std::error_code ec;
  fs::path dir = fs::absolute(opts.data_dir, ec).lexically_normal();
  if (ec) return unavailable("bad directory " + opts.data_dir);
  opts.data_dir = dir.string();
  // A Unix socket path is limited to 107 bytes.
  if ((dir / ".s.PGSQL.5432").string().size() > 100)
    return unavailable("directory path too long for a Unix socket: " + dir.string());
  auto user = is_root() ? opts.run_as_user : std::string(::getpwuid(::geteuid())->pw_name);
  fs::create_directories(dir, ec);
  if (ec) return unavailable("cannot create " + dir.string() + ": " + ec.message());
  if (is_root()) {
    if (auto err = ensure_system_user(user)) return err;
    if (auto err = ensure_reachable(dir, user)) return err;
  }
  if (is_root()) {
    auto r = run({"chown", "-R", user + ":", dir.string()});
    if (r.status != 0) return unavailable("cannot hand " + dir.string() + " to " + user);
  }
  ::chmod(dir.c_str(), 0700);
  auto bin = [&](const char* name) { return (fs::path(opts.bin_dir) / name).string(); };

  std::unique_ptr<embedded_postgres> pg{new embedded_postgres(opts)};
  if (!fs::exists(dir / "PG_VERSION")) {
    log::info("db", "initializing the embedded PostgreSQL cluster", {{"directory", dir.string()}});
    auto r = run(as_user(user, {bin("initdb"), "-D", dir.string(), "-U", user, "--auth=trust",
                                "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"}));
    if (r.status != 0) return unavailable("initdb failed: " + last_lines(r.output));
  }
  auto status = run(as_user(user, {bin("pg_ctl"), "-D", dir.string(), "status"}));
  if (status.status == 0) {
    log::warn("db", "embedded PostgreSQL was already running; reusing it",
              {{"directory", dir.string()}});
  } else {
    // No TCP at all; the socket is reachable only by its owner (and root).
    auto options = "-c listen_addresses='' -c unix_socket_directories='" + dir.string() +
                   "' -c unix_socket_permissions=0700";
    auto r = run(
        as_user(user, {bin("pg_ctl"), "-D", dir.string(), "-l", (dir / "server.log").string(), "-w",
                       "-t", std::to_string(opts.start_timeout.count()), "-o", options, "start"}));
    if (r.status != 0)
      return unavailable("pg_ctl start failed: " + last_lines(r.output) + " (see " +
                         (dir / "server.log").string() + ")");
  }
  pg->running_ = true;
  auto base = "postgresql://" + http::percent_encode(user) + "@/";
  auto query = "?host=" + http::percent_encode(dir.string());
  try {
    pqxx::connection c{base + "postgres" + query};
    pqxx::nontransaction tx{c};
    if (tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", opts.database).empty())
      tx.exec("CREATE DATABASE " + tx.quote_name(opts.database));
  } catch (const std::exception& e) {
    return unavailable(std::string("cannot create the database: ") + e.what());
  }
  pg->url_ = base + http::percent_encode(opts.database) + query;
  log::info("db", "embedded PostgreSQL running", {{"directory", dir.string()}});
  return pg;
}

void embedded_postgres::stop() {
  if (!running_) return;
  running_ = false;
  auto user = is_root() ? opts_.run_as_user : std::string(::getpwuid(::geteuid())->pw_name);
  auto r = run(as_user(user, {(fs::path(opts_.bin_dir) / "pg_ctl").string(), "-D", opts_.data_dir,
                              "-m", "fast", "-w", "stop"}));
  if (r.status != 0)
    log::error("db", "stopping the embedded PostgreSQL failed", {{"output", last_lines(r.output)}});
  else
    log::info("db", "embedded PostgreSQL stopped");
}

embedded_postgres::~embedded_postgres() {
  stop();
}

}  // namespace vpnbot::db
