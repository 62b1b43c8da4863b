#pragma once

// The HTTP admin API's actor: it owns the prefix route /api/v1/* on the
// service's HTTP server (kept registered through route_registration) and
// puts each request through domain/api: prepare_call answers what needs no
// database (401, 404, 405, 400, the OpenAPI document), run_call runs in one
// transaction on the pool (storage::db_request), and the outbox rows the
// call queued are handed to the outbox after the commit. It is spawned only
// while api.token is set, so without one the server answers 404.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "actors/components.hpp"
#include "actors/route_registration.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::api {

struct admin_api_config {
  config::api_settings api;
  components wiring;
  std::chrono::milliseconds db_timeout{std::chrono::seconds(10)};
  metrics::registry* registry = &metrics::global();
};

// What it registers on the HTTP server: the prefix, with each method the
// route table uses.
std::vector<route_registration::route> admin_api_routes();

caf::actor spawn_admin_api(caf::actor_system& sys, admin_api_config cfg);

}  // namespace vpnbot::api
