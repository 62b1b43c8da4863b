#pragma once

// The payments subtree, present when a provider (CryptoBot, YooKassa,
// Robokassa, CoinGate) is configured; Telegram Stars live in the
// conversation.
//
//   payments (rest_for_one)
//   ├── http             the providers' HTTP client
//   ├── invoice_issuer   pending payment → provider invoice → "tap to pay"
//   ├── webhooks         /pay/<provider> → webhook_events → finalizer
//   └── invoice_watcher  pending invoices whose notification never came

#include "actors/child_spec.hpp"
#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"

namespace vpnbot::payments {

supervision::child_spec payments_child(const config::settings& settings, const components& wiring,
                                       metrics::registry& registry = metrics::global());

}  // namespace vpnbot::payments
