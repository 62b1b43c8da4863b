#include "actors/cluster/cluster_supervisor.hpp"

#include "actors/cluster/leader_elector.hpp"
#include "actors/cluster/node_router.hpp"
#include "actors/supervisor.hpp"

namespace vpnbot::cluster {

supervision::child_spec cluster_child(const config::settings& settings, const components& wiring,
                                      metrics::registry& registry) {
  supervision::supervisor_spec spec;
  spec.name = "cluster";
  spec.limits = settings.supervision;
  spec.children.push_back(leader_elector_child(settings, wiring, registry));
  spec.children.push_back(node_router_child(settings, wiring, registry));
  return supervision::supervisor_child(std::move(spec), registry);
}

}  // namespace vpnbot::cluster
