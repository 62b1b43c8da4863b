#include "bench/support/proc_stats.hpp"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vpnbot::bench {

namespace {

// The fields of /proc/<pid>/stat after the command name (which may hold spaces).
std::vector<std::string> stat_fields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

// Field numbers of proc(5), counted from 1 with pid and comm as 1 and 2.
long long stat_field(const std::vector<std::string>& fields, std::size_t number) {
  return fields.size() > number - 3 ? std::stoll(fields[number - 3]) : 0;
}

}  // namespace

std::chrono::milliseconds cpu_time(pid_t pid, bool with_reaped) {
  auto fields = stat_fields(pid);
  long long ticks = stat_field(fields, 14) + stat_field(fields, 15);
  if (with_reaped) ticks += stat_field(fields, 16) + stat_field(fields, 17);
  return std::chrono::milliseconds(ticks * 1000 / ::sysconf(_SC_CLK_TCK));
}

namespace {

long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  return 0;
}

}  // namespace

long peak_rss_kib(pid_t pid) {
  return status_kib(pid, "VmHWM:");
}

long rss_kib(pid_t pid) {
  return status_kib(pid, "VmRSS:");
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto pid = static_cast<pid_t>(std::stol(name));
    auto fields = stat_fields(pid);
    if (stat_field(fields, 4) == parent) out.push_back(pid);
  }
  return out;
}

std::optional<pid_t> postmaster_pid(const std::string& cluster_dir) {
  std::ifstream in(cluster_dir + "/postmaster.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

std::chrono::milliseconds postgres_cpu_time(pid_t postmaster) {
  auto total = cpu_time(postmaster, true);
  for (auto child : children_of(postmaster)) total += cpu_time(child);
  return total;
}

}  // namespace vpnbot::bench
