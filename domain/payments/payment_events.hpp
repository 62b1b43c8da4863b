#pragma once

// What a provider's word about a payment does, as plain functions over the
// caller's transaction. Every path ends in finalize_payment (the only one
// that grants), and every event is recorded in webhook_events under the
// provider's unique event id, so a notification, its redelivery and the
// watcher's finding of the same payment have one effect between them.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/payments/cryptobot.hpp"
#include "adapters/payments/robokassa.hpp"
#include "adapters/payments/yookassa.hpp"
#include "domain/payments/payment_finalizer.hpp"

namespace vpnbot::payments {

// A paid CryptoBot invoice priced in fiat; nullopt when it is not paid or
// its amount is not exact in minor units.
std::optional<payment_confirmation> confirmation_of(const cryptobot::invoice& invoice);
// A succeeded YooKassa payment carrying our id in its metadata.
std::optional<payment_confirmation> confirmation_of(const yookassa::payment& payment);

struct event_outcome {
  std::string outcome;  // granted | granted_late | already_final | mismatch | unknown_payment |
                        // failed | ignored
  std::vector<int64_t> outbox_ids;
};

// Finalizes `c` (when given) and marks the stored event processed.
event_outcome apply_confirmation(pqxx::dbtransaction& tx, int64_t event_row,
                                 const std::optional<payment_confirmation>& c,
                                 const finalizer_context& ctx);

// A YooKassa payment seen canceled: our payment, if still pending, failed,
// and the user told once.
event_outcome apply_cancellation(pqxx::dbtransaction& tx, int64_t event_row,
                                 const std::string& our_payment_id);

// A YooKassa refund as GET /refunds/{id} returned it (nullopt: YooKassa
// knows no such refund): only a succeeded refund of one of our payments
// marks that payment refunded; a refund still pending is `not_final` (a
// redelivery reads it again); an unknown one is `unknown_refund`.
event_outcome apply_refund(pqxx::dbtransaction& tx, int64_t event_row,
                           const std::optional<yookassa::refund>& fetched);

// A Robokassa ResultURL: the payment is found by its number (InvId) and
// must carry our id in Shp_payment.
std::optional<payment_confirmation> confirmation_of(pqxx::dbtransaction& tx,
                                                    const robokassa::result_notice& notice);

}  // namespace vpnbot::payments
