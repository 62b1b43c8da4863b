#pragma once

// Asks each provider that supports lookups (CryptoBot, YooKassa, Robokassa,
// CoinGate) about pending invoices whose notification has not come after
// payments.watch_after, every payments.watch_interval, and feeds what it
// finds to the same path as the notifications: the event is recorded under
// the provider's event id ("invoice_paid:<id>", "payment.succeeded:<id>",
// "order.paid:<id>"), so a webhook and the watcher racing on one payment
// have one effect.
// Every late_interval it also asks, page by page, about the payments we
// expired or that were cancelled in the last late_days: money that came
// late without a notification takes the finalizer's late-payment path.
//
// Metrics: vpnbot_payment_watcher_checks_total{provider, outcome}.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/payments/provider_list.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot::payments {

struct invoice_watcher_config {
  provider_list providers;
  slot_ref<http_client_actor> http;
  finalizer_context finalizer;
  std::chrono::milliseconds interval{std::chrono::minutes(1)};
  std::chrono::seconds watch_after{std::chrono::minutes(2)};
  unsigned late_days = 3;  // 0: no late lookups
  std::chrono::milliseconds late_interval{std::chrono::minutes(10)};
  std::chrono::milliseconds call_timeout{std::chrono::seconds(15)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_invoice_watcher(caf::actor_system& sys, invoice_watcher_config cfg);

}  // namespace vpnbot::payments
