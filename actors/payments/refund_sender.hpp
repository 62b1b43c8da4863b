#pragma once

// Makes operators' refunds at the provider (YooKassa POST /v3/refunds). The
// admin call records a refund_requests row and NOTIFYs; this actor is woken
// by the refund listener at that commit (jobs_queued_atom) and scans every
// payments.refund_interval as a safety net:
//
//   1. lease due unsettled requests (one short transaction, FOR UPDATE SKIP
//      LOCKED: two nodes never send one request at once; a lease that runs
//      out, the sender having died mid-call, is taken again);
//   2. call the provider outside any transaction: the refund itself with
//      Idempotence-Key = the request id (a retry after a crash or a lost
//      answer is the same refund, never a second one), or, once the
//      provider's refund id is known, GET the refund back;
//   3. record the answer in a new transaction (refund_request_outcome.hpp):
//      succeeded → taken back at once under the provider's refund id;
//      pending → read back later; canceled → request canceled; refused (4xx)
//      → failed with the provider's description; no answer, 5xx → retried,
//      the wait doubling from refund_interval up to 10 minutes.
//
// Metrics: vpnbot_payment_refunds_total{provider, outcome}.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/payments/provider_list.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot::payments {

struct refund_sender_config {
  provider_list providers;
  slot_ref<http_client_actor> http;                              // the HTTP client
  std::chrono::milliseconds interval{std::chrono::seconds(10)};  // scan; first retry wait
  std::chrono::milliseconds call_timeout{std::chrono::seconds(15)};
  metrics::registry* registry = &metrics::global();
  components wiring;
  slot_ref<caf::actor> published_as = make_slot<caf::actor>();  // where the listener finds it
};

caf::actor spawn_refund_sender(caf::actor_system& sys, refund_sender_config cfg);

}  // namespace vpnbot::payments
