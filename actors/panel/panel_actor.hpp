#pragma once

// One actor per configured 3x-ui panel. It turns the requests of
// messages/panel.hpp into legacy-API calls (adapters/panel/xui_protocol),
// sends them through the http_client actor and answers with values or
// panel errors. Nothing blocks: every HTTP call is a request to http_client.
//
// What it does on its own:
//   * login (CSRF token first where the version may need it) on the first
//     call, the cookie kept in its state; a call that meets "session
//     expired" logs in again once and is repeated once;
//   * a circuit breaker per panel: calls fail fast with circuit_open while
//     it is open, one probe goes through after breaker_open_for; it hears
//     each attempt of an operation once, however many calls it takes (a
//     lookup, then the create);
//   * retries of every operation (all are idempotent: add reads a duplicate
//     back and accepts it when the UUID is ours, delete of a missing client
//     is done) on transport errors, timeouts, 5xx and 429, with backoff and
//     jitter, at most max_attempts, only while the retry budget allows;
//   * at most max_in_flight operations at once, max_queue more waiting, the
//     rest refused with overloaded;
//   * connect_timeout / call_timeout of the panel's settings on every call.
// Metrics: vpnbot_panel_* (docs/METRICS.md); logs: component "panel".

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/http_client_interface.hpp"
#include "messages/panel_interface.hpp"

namespace vpnbot {

struct panel_actor_config {
  config::panel_settings panel;            // timeouts already resolved by the loader
  config::panel_defaults_settings limits;  // concurrency, retries, breaker
  http_client_actor http;                  // the http_client actor
  std::optional<uint64_t> jitter_seed;     // nullopt: from std::random_device
  // The time two-factor codes are made for (tests move it).
  std::function<std::chrono::system_clock::time_point()> wall_clock{
      [] { return std::chrono::system_clock::now(); }};
};

// A base_url that is not a panel URL or a version that does not parse makes
// the actor exit at once with sec::invalid_argument (the loader refuses
// both, so only hand-made configs meet this).
panel_actor spawn_panel_actor(caf::actor_system& sys, panel_actor_config cfg,
                              metrics::registry& registry = metrics::global());

}  // namespace vpnbot
