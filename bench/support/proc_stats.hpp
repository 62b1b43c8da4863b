#pragma once

// What /proc tells about a process: CPU time and peak memory, and the
// processes of the embedded PostgreSQL (which pg_ctl detaches from vpnbot,
// so they are found through the postmaster's pid file, not as children).

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vpnbot::bench {

// User plus system CPU time of the process; with_reaped adds that of its
// children it has waited for (PostgreSQL backends that already ended).
std::chrono::milliseconds cpu_time(pid_t pid, bool with_reaped = false);

// Peak resident set size (VmHWM) in KiB, 0 when unknown.
long peak_rss_kib(pid_t pid);
// Resident set size now (VmRSS) in KiB, 0 when unknown.
long rss_kib(pid_t pid);

std::vector<pid_t> children_of(pid_t parent);

// The postmaster's pid from <cluster_dir>/postmaster.pid, when it runs.
std::optional<pid_t> postmaster_pid(const std::string& cluster_dir);

// CPU time of the postmaster, its live children and the children it reaped.
std::chrono::milliseconds postgres_cpu_time(pid_t postmaster);

}  // namespace vpnbot::bench
