#pragma once

// The workers subtree, one_for_one: reminders, expiry, auto_renewal,
// payment_expiry, each a periodic_worker restarted with backoff when an
// iteration fails. When they fail faster than the restart intensity allows,
// the worker supervisor gives up; it is a temporary child of the root, so
// the rest of the service keeps serving while the metrics show the workers
// down (vpnbot_supervisor_child_up, vpnbot_supervisor_escalations_total).

#include "actors/components.hpp"
#include "actors/supervisor.hpp"
#include "actors/workers/periodic_worker.hpp"
#include "config/settings.hpp"

namespace vpnbot::workers {

supervision::child_spec worker_child(
    const config::settings& settings, const components& wiring,
    wall_clock clock = [] { return std::chrono::system_clock::now(); },
    metrics::registry& registry = metrics::global());

}  // namespace vpnbot::workers
