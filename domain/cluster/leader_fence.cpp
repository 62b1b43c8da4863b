#include "domain/cluster/leader_fence.hpp"

#include "adapters/db/cluster_repository.hpp"

namespace vpnbot::cluster {

bool leader_fence::holds(pqxx::dbtransaction& tx) const {
  auto term = token();
  return term != 0 && db::holds_leadership(tx, node_, term);
}

}  // namespace vpnbot::cluster
