#pragma once

// One iteration of a worker: a plain function over one transaction at a
// given time, which says what it did. The periodic worker actor runs it;
// tests call it directly.

#include <chrono>
#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::cluster {
class leader_fence;
}

namespace vpnbot::workers {

using wall_clock = std::function<std::chrono::system_clock::time_point()>;

struct step_report {
  int64_t processed = 0;
  std::vector<int64_t> outbox_ids;  // kicked after the commit
  bool standby = false;             // another node holds the workers' lease
};

using worker_step =
    std::function<step_report(pqxx::dbtransaction&, std::chrono::system_clock::time_point now)>;

// `step` when `owner` holds (or now takes) the named lease; standby otherwise.
step_report run_leased(pqxx::dbtransaction& tx, const std::string& lease, const std::string& owner,
                       std::chrono::seconds ttl, const worker_step& step,
                       std::chrono::system_clock::time_point now);

// On a cluster: `step` when this node leads (the fence holds in `tx`, so no
// other node can take over before the step commits); standby otherwise.
step_report run_fenced(pqxx::dbtransaction& tx, const cluster::leader_fence& fence,
                       const worker_step& step, std::chrono::system_clock::time_point now);

}  // namespace vpnbot::workers
