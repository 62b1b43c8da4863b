#pragma once

// Runs a singleton (the Telegram poller, the workers, the reconciler, ...)
// only while this node leads the cluster. The gate takes the singleton's
// place in its supervisor: it subscribes to the leader elector (found in
// wiring.leader), starts the singleton from its child spec when the node
// becomes leader, and stops it (user_shutdown) when the node steps down or
// the elector is gone. A singleton that ends while it should run ends the
// gate with the same reason, so the supervisor's restart intensity and
// backoff apply to it as before. Writes the singleton makes are fenced
// separately (domain/cluster/leader_fence.hpp): stopping it is the
// efficiency, the fence the safety.

#include "actors/child_spec.hpp"
#include "actors/components.hpp"

namespace vpnbot::cluster {

// `singleton` as is on a single node (no wiring.fence); gated on a cluster.
supervision::child_spec leader_only(supervision::child_spec singleton, const components& wiring);

}  // namespace vpnbot::cluster
