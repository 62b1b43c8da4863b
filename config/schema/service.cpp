// The [service] keys: this node and its process.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_service_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(string_key("service", "node_name", "name of this node in logs and the cluster",
                         &settings::service, &service_settings::node_name));
  k.push_back(string_key("service", "data_dir", "directory for local state (embedded database)",
                         &settings::service, &service_settings::data_dir));
  k.push_back(duration_key("service", "shutdown_timeout",
                           "upper bound for a graceful stop on SIGINT/SIGTERM", &settings::service,
                           &service_settings::shutdown_timeout, 100ms));
  k.push_back(uint_key("service", "scheduler_threads", "CAF worker threads (0: one per core)",
                       &settings::service, &service_settings::scheduler_threads, 0, 256));
  k.push_back(choice_key("service", "scheduler_policy", "sharing or stealing (CAF's scheduler)",
                         &settings::service, &service_settings::scheduler_policy,
                         {"sharing", "stealing"}));
}

}  // namespace vpnbot::config
