#pragma once

// Issues the provider invoice of a pending payment and shows the payer the
// way to pay. The conversation creates the payment: its row is the
// hand-off, found by a sweep every payments.issue_interval (1 s; an indexed
// look at pending payments without an invoice), so a crash after the
// commit loses nothing.
//
//   1. read what the invoice needs (one short transaction);
//   2. the payment row's provider makes the invoice: a call outside any
//      transaction (CryptoBot createInvoice, YooKassa POST /payments with
//      Idempotence-Key = our payment id, CoinGate POST /orders), or a link
//      it signs itself (Robokassa);
//   3. record the provider's id and the pay URL once (a second issue of the
//      same payment records nothing and says nothing), and queue the
//      "tap to pay" message with the pay button in the same transaction.
// A failed call leaves the payment without an invoice for the next sweep;
// CryptoBot and CoinGate have no idempotency key, so a retried create may
// leave an unshown invoice behind, which expires unpaid.
//
// Metrics: vpnbot_payment_invoices_total{provider, outcome}.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>
#include <string>
#include <vector>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/payments/provider_list.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot::payments {

struct invoice_issuer_config {
  provider_list providers;
  slot_ref<http_client_actor> http;  // the HTTP client
  std::chrono::milliseconds interval{std::chrono::seconds(1)};
  std::chrono::milliseconds call_timeout{std::chrono::seconds(15)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_invoice_issuer(caf::actor_system& sys, invoice_issuer_config cfg);

}  // namespace vpnbot::payments
