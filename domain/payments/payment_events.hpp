#pragma once

// What a provider's word about a payment does, as plain functions over the
// caller's transaction. Every path ends in finalize_payment (the only one
// that grants), and every event is recorded in webhook_events under the
// provider's unique event id, so a notification, its redelivery and the
// watcher's finding of the same payment have one effect between them.

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/payments/provider.hpp"
#include "domain/payments/payment_finalizer.hpp"

namespace vpnbot::payments {

struct event_outcome {
  std::string outcome;  // granted | granted_late | already_final | mismatch | unknown_payment |
                        // failed | not_final | refunded | unknown_refund | ignored
  std::vector<int64_t> outbox_ids;
};

// Acts on `v` and marks the stored event processed:
// * paid: finalized; a payment named by its number must exist and carry
//   the id the provider sent along, else `unknown_payment`;
// * canceled: our payment, if still pending, failed, and the user told once;
// * pending, refund_pending: `not_final` (a redelivery looks again);
// * refunded: the payment with that provider id is marked refunded (a
//   partial refund too: amounts are not compared yet), else `ignored`;
// * refund_unknown: `unknown_refund`, nothing changed.
event_outcome apply_verdict(pqxx::dbtransaction& tx, int64_t event_row, const payment_verdict& v,
                            const finalizer_context& ctx);

}  // namespace vpnbot::payments
