#pragma once

#include "adapters/metrics/registry.hpp"

namespace vpnbot::metrics {

// Registers process-level gauges computed at scrape time: uptime, resident
// memory, open file descriptors, and a build-info series.
void register_process_metrics(registry& reg, const std::string& version,
                              const std::string& node_name);

// Resident set size of this process in bytes (from /proc/self/statm).
double resident_memory_bytes();

}  // namespace vpnbot::metrics
