#include "domain/workers/step.hpp"

#include "adapters/db/leases_repository.hpp"
#include "domain/cluster/leader_fence.hpp"

namespace vpnbot::workers {

step_report run_leased(pqxx::dbtransaction& tx, const std::string& lease, const std::string& owner,
                       std::chrono::seconds ttl, const worker_step& step,
                       std::chrono::system_clock::time_point now) {
  if (!db::try_acquire_lease(tx, lease, owner, ttl)) {
    step_report r;
    r.standby = true;
    return r;
  }
  return step(tx, now);
}

step_report run_fenced(pqxx::dbtransaction& tx, const cluster::leader_fence& fence,
                       const worker_step& step, std::chrono::system_clock::time_point now) {
  if (!fence.holds(tx)) {
    step_report r;
    r.standby = true;
    return r;
  }
  return step(tx, now);
}

}  // namespace vpnbot::workers
