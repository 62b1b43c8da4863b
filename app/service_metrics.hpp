#pragma once

// Every family the service exports, declared on `r` at start, so /metrics
// lists each one (HELP and TYPE) before its first series exists: dashboards
// and alerts find every name from the first scrape. docs/METRICS.md is held
// against this list by a test.

#include <string>

#include "adapters/metrics/registry.hpp"

namespace vpnbot {

void declare_service_metrics(metrics::registry& r, const std::string& version,
                             const std::string& node_name);

}  // namespace vpnbot
