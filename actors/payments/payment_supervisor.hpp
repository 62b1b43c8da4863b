#pragma once

// The payments subtree, present when a provider (CryptoBot, YooKassa,
// Robokassa, CoinGate) is configured; Telegram Stars live in the
// conversation.
//
//   payments (rest_for_one)
//   ├── http             the providers' HTTP client
//   ├── invoice_issuer   pending payment → provider invoice → "tap to pay"
//   ├── webhooks         /pay/<provider> → webhook_events → finalizer
//   ├── invoice_watcher  pending invoices whose notification never came
//   ├── refund_sender    operators' refund requests → the provider's refund
//   └── refund_listener  LISTEN on new refund requests → wakes refund_sender

#include <string>

#include "actors/child_spec.hpp"
#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::payments {

// database_url: where the refund listener LISTENs (a connection of its own).
supervision::child_spec payments_child(const config::settings& settings, std::string database_url,
                                       const components& wiring,
                                       metrics::registry& registry = metrics::global());

}  // namespace vpnbot::payments
