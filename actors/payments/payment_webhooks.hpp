#pragma once

// Provider notifications on the service's HTTP server, one route per
// enabled provider's webhook_path(); each provider checks its own (a
// signature, a source address) and says what the notice means, reading it
// back first where the body is not to be trusted (provider.hpp).
// The raw body and headers are stored in webhook_events first; only a
// stored event is answered 2xx. A bad signature (or source) is stored with
// signature_ok = false, its body cut to the first 4 KiB (with the whole
// body's length and SHA-256), and answered 401; a body that is not the
// provider's is 400 and not stored. Failures beyond `failures_per_minute`
// from one client address on one provider's route are answered 429 and
// not stored at all. A redelivered event is 200 and nothing more. Processing follows
// the answer (payment_events.hpp). Events whose processing was cut short are
// replayed: looked for every `replay_interval`, each replay an attempt with
// the next one `replay_interval` doubling per attempt (at most 1 h) later,
// so events that always fail cannot starve the others; after
// `replay_attempts` the event is closed as `dead` (logged as an error).
//
// Metrics: vpnbot_payment_webhooks_total{provider, outcome} (outcome
// "dead" for an event given up, "rate_limited" for a 429).

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/payments/provider_list.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot::payments {

struct payment_webhooks_config {
  provider_list providers;
  slot_ref<http_client_actor> http;  // for the read-backs
  finalizer_context finalizer;
  std::chrono::milliseconds call_timeout{std::chrono::seconds(15)};
  std::chrono::milliseconds replay_interval{std::chrono::seconds(30)};
  int replay_attempts = 8;
  unsigned failures_per_minute = 20;  // per source address and provider
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_payment_webhooks(caf::actor_system& sys, payment_webhooks_config cfg);

}  // namespace vpnbot::payments
