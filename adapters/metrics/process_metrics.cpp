#include "adapters/metrics/process_metrics.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "adapters/metrics/family.hpp"

namespace vpnbot::metrics {

double resident_memory_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0;
  long pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

void register_process_metrics(registry& reg, const std::string& version,
                              const std::string& node_name) {
  auto started = std::chrono::steady_clock::now();
  reg.set_gauge_callback(
      "vpnbot_process_uptime_seconds", "Seconds since this process started", {}, [started] {
        std::chrono::duration<double> up = std::chrono::steady_clock::now() - started;
        return up.count();
      });
  reg.set_gauge_callback("vpnbot_process_resident_memory_bytes", "Resident set size in bytes", {},
                         [] { return resident_memory_bytes(); });
  reg.set_gauge_callback("vpnbot_process_open_fds", "Open file descriptors", {}, [] {
    std::error_code ec;
    double n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      ++n;
    return n;
  });
  gauge_family(reg, "vpnbot_build_info", "Always 1; labels carry the version and node",
               {"version", "node"})
      .with({version, node_name})
      .set(1);
}

}  // namespace vpnbot::metrics
