#pragma once

// Outgoing HTTP for actors, as a plain request/response:
//
//   self->request(http, std::chrono::seconds(40), http_client_request{...})
//       .then([=](http_client_response& r) { ... any status ... },
//             [=](caf::error& e) { ... client_error_code(e): the failed phase ... });
//
// The actor owns an http::client (its io threads): a call never blocks the
// actor or the requester, and the client's own timeouts always answer, so a
// requester's timeout only needs to exceed the call's total_timeout. Calls
// in flight when this actor exits are abandoned; their requesters see their
// request timeout.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <memory>

#include "actors/child_spec.hpp"
#include "actors/component_slot.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot {

// A ca_file that cannot be loaded makes the actor exit at once with
// sec::runtime_error.
http_client_actor spawn_http_client(caf::actor_system& sys, config::http_client_settings settings,
                                    metrics::registry& registry = metrics::global());

// An HTTP client as the first child of a rest_for_one subtree: each start
// stores the new handle in `handle`, which the later siblings' factories
// read — rest_for_one restarts them after every restart of the client.
supervision::child_spec http_client_child(config::http_client_settings settings,
                                          slot_ref<http_client_actor> handle,
                                          metrics::registry& registry = metrics::global());

}  // namespace vpnbot
