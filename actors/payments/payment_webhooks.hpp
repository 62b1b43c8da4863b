#pragma once

// Provider notifications on the service's HTTP server:
//   POST /pay/cryptobot   crypto-pay-api-signature over the raw body
//   POST /pay/yookassa    source address allow-list; the status is re-read
//                         with GET /payments/{id} (a refund's with
//                         GET /refunds/{id}), never taken from the body
//   POST /pay/robokassa   ResultURL, SignatureValue with password #2;
//                         answered "OK<InvId>"
// The raw body and headers are stored in webhook_events first; only a
// stored event is answered 2xx. A bad signature (or source) is stored with
// signature_ok = false and answered 401; a body that is not the provider's
// is 400; a redelivered event is 200 and nothing more. Processing follows
// the answer (payment_events.hpp); events whose processing was cut short are
// replayed every `replay_interval`.
//
// Metrics: vpnbot_payment_webhooks_total{provider, outcome}.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/payments/payment_finalizer.hpp"
#include "actors/payments/payment_providers.hpp"
#include "adapters/metrics/registry.hpp"

namespace vpnbot::payments {

struct payment_webhooks_config {
  payment_providers providers;
  std::shared_ptr<caf::actor> http;  // for YooKassa's re-read
  finalizer_context finalizer;
  std::chrono::milliseconds call_timeout{std::chrono::seconds(15)};
  std::chrono::milliseconds replay_interval{std::chrono::seconds(30)};
  metrics::registry* registry = &metrics::global();
};

caf::actor spawn_payment_webhooks(caf::actor_system& sys, payment_webhooks_config cfg);

}  // namespace vpnbot::payments
