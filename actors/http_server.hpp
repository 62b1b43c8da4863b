#pragma once

// The service's HTTP front door. Each incarnation owns a fresh listener
// (started when the actor starts, closed when it exits), routes requests by
// (method, path) to handler actors and serves three routes itself:
//   GET /healthz  200 {"status":"ok"} while the process runs
//   GET /readyz   200 {"status":"ready"}, or 503 {"status":"not_ready",
//                 "not_ready":[...]} from the readiness source's report (also
//                 when it does not answer in time, or while draining); both
//                 carry "config_digest" and "mode" when the config sets them
//   GET /metrics  the registry in the Prometheus text format (on its own
//                 listener when http.metrics_listen is set)
// Unknown path: 404, known path with another method: 405 with Allow.
//
// Messages:
//   (register_route_atom, std::string method, std::string path, caf::actor handler)
//       -> (empty reply). The handler receives http_request and replies
//       http_response; no reply within handler_timeout gives 504, a failed
//       one 502. A later registration of the same method and path replaces
//       it; the routes of a handler that dies are dropped. A path ending in
//       "/*" (e.g. "/api/v1/*") is a prefix route: it serves every path
//       below the prefix that no exact route serves (the longest prefix
//       wins) and is the metrics label of them all.
//   (http_port_atom) -> uint16_t, the bound port (listen_port 0 picks one).
//   (http_metrics_port_atom) -> uint16_t, the port /metrics is served on:
//       with http.metrics_listen a listener of its own that serves only
//       /metrics (and the main one then does not), else the main one.
// An exit message with user_shutdown stops accepting and lets requests in
// flight finish for up to drain_timeout; other abnormal reasons stop at once.

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <chrono>
#include <memory>

#include "actors/cluster/cluster_board.hpp"
#include "actors/component_slot.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot {

struct http_server_config {
  config::http_settings http;
  // Answers readiness_atom with a readiness_report (the root supervisor).
  caf::actor readiness;
  metrics::registry* registry = &metrics::global();
  std::chrono::milliseconds handler_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds readiness_timeout{std::chrono::seconds(1)};
  // The configuration's fingerprint (app/config_digest.hpp), reported in
  // /readyz so a deploy sees which configuration runs; empty: not reported.
  std::string config_digest;
  // How the process runs, reported in /readyz as "mode" ("sandbox" under
  // `vpnbot --sandbox`); empty: not reported.
  std::string mode;
  // Below the supervisor's child shutdown timeout, which ends in a kill.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(3)};
  // Where route owners find the running server (route_registration.hpp);
  // they register again when it restarted.
  slot_ref<caf::actor> slot = make_slot<caf::actor>();
  // On a cluster, what this node knows of it, reported in /readyz as
  // "cluster"; null: not reported.
  std::shared_ptr<const cluster::cluster_board> cluster;
};

// A listener that cannot bind makes the actor exit at once with
// sec::runtime_error naming host, port and cause.
caf::actor spawn_http_server(caf::actor_system& sys, http_server_config cfg);

}  // namespace vpnbot
