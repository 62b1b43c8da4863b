#pragma once

// Payments move out of `pending` exactly once: every transition below is a
// conditional update that reports whether it happened, so a replayed or
// concurrent confirmation finds the payment already final and changes
// nothing.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

struct new_payment {
  int64_t user_id = 0;
  std::string purpose;  // plan | topup
  std::optional<int64_t> plan_id;
  std::optional<int64_t> subscription_id;
  std::string provider;
  int64_t amount = 0;  // minor units
  std::string currency;
  int ttl_seconds = 3600;
  // A promo discount the price was lowered by, and the price before it.
  std::optional<int64_t> promo_redemption_id;
  std::optional<int64_t> list_amount;
};

struct payment_row {
  std::string id;  // uuid
  int64_t user_id = 0;
  std::string purpose;
  std::optional<int64_t> plan_id;
  std::optional<int64_t> subscription_id;
  std::string provider;
  std::optional<std::string> provider_payment_id;
  int64_t amount = 0;
  std::string currency;
  std::string status;
  std::optional<std::string> granted_expiry;   // ISO 8601 UTC
  std::optional<int64_t> promo_redemption_id;  // the discount the amount includes
  std::optional<int64_t> list_amount;          // the price before that discount
};

std::string create_payment(pqxx::dbtransaction& tx, const new_payment& p);

// A pending payment whose provider invoice is still to be issued, with what
// the invoice needs.
struct invoice_work {
  std::string payment_id;
  int64_t number = 0;  // the payment's integer order number
  std::string provider;
  int64_t amount = 0;
  std::string currency;
  int64_t telegram_id = 0;
  std::string language;
  std::string plan_code;     // empty for a top-up
  int64_t seconds_left = 0;  // until the payment expires
};

// Pending payments of these providers without an invoice, oldest first.
std::vector<invoice_work> payments_to_invoice(pqxx::dbtransaction& tx,
                                              const std::vector<std::string>& providers, int limit);
std::optional<invoice_work> payment_to_invoice(pqxx::dbtransaction& tx,
                                               const std::string& payment_id);

// Records the issued invoice once; false when it was recorded already or
// the payment is not pending any more (the caller then says nothing).
bool record_invoice(pqxx::dbtransaction& tx, const std::string& payment_id,
                    const std::string& provider_payment_id, const std::string& pay_url);

// Records one refund of a payment by the provider's refund id; false when
// it was recorded already (a replay).
bool record_refund(pqxx::dbtransaction& tx, const std::string& provider,
                   const std::string& refund_id, const std::string& payment_id, int64_t amount);
bool refund_recorded(pqxx::dbtransaction& tx, const std::string& provider,
                     const std::string& refund_id);
// The sum of the refunds recorded for the payment (minor units).
int64_t refunded_total(pqxx::dbtransaction& tx, const std::string& payment_id);
// succeeded → refunded by our id; false otherwise.
bool mark_payment_refunded_by_id(pqxx::dbtransaction& tx, const std::string& payment_id);
// The subscription a plan payment granted time to (its activation job names it).
std::optional<int64_t> subscription_paid_by(pqxx::dbtransaction& tx, const std::string& payment_id);

std::optional<payment_row> find_payment_by_number(pqxx::dbtransaction& tx, int64_t number);

// Pending payments of `provider` with an invoice issued at least `age` ago
// (the watcher asks the provider about them), oldest first.
std::vector<payment_row> invoiced_pending_payments(pqxx::dbtransaction& tx,
                                                   const std::string& provider,
                                                   std::chrono::seconds age, int limit);

// Expired or failed payments of `provider` created in the last `days`, with
// the provider's id (money may still come for them), by id after `after_id`.
std::vector<payment_row> late_lookup_payments(pqxx::dbtransaction& tx, const std::string& provider,
                                              unsigned days, const std::string& after_id,
                                              int limit);

// Records the provider's id for our payment (set once; the same value again is fine).
bool set_provider_payment_id(pqxx::dbtransaction& tx, const std::string& payment_id,
                             const std::string& provider_payment_id);

// Locks the row of the user the payment belongs to (FOR NO KEY UPDATE: rows
// that merely reference the user, like a worker's notice, still go in);
// false when there is no such payment.
bool lock_payment_owner(pqxx::dbtransaction& tx, const std::string& payment_id);
// Locks the row (FOR UPDATE) so the finalizer decides on a stable state.
std::optional<payment_row> find_payment_for_update(pqxx::dbtransaction& tx,
                                                   const std::string& payment_id);
std::optional<payment_row> find_payment_by_provider_id(pqxx::dbtransaction& tx,
                                                       const std::string& provider,
                                                       const std::string& provider_payment_id);

// pending (or expired / failed: money that came late) → succeeded with the
// expiry it granted (null for a top-up); false when it was already
// succeeded, refunded or flagged.
bool mark_payment_succeeded(pqxx::dbtransaction& tx, const std::string& payment_id,
                            const std::optional<std::string>& granted_expiry_iso);

// pending, expired or failed → mismatch (for an operator); false otherwise.
bool mark_payment_mismatch(pqxx::dbtransaction& tx, const std::string& payment_id);

// pending → failed | expired | mismatch; false when it was not pending.
bool mark_payment_if_pending(pqxx::dbtransaction& tx, const std::string& payment_id,
                             const std::string& status);

// Expires pending payments past their TTL; returns their ids.
std::vector<std::string> expire_pending_payments(pqxx::dbtransaction& tx);

struct expired_payment {
  std::string id;
  int64_t user_id = 0;
};
// The same against a given time (ISO 8601), at most `limit` of them.
std::vector<expired_payment> expire_pending_payments(pqxx::dbtransaction& tx,
                                                     const std::string& now_iso, int limit);

}  // namespace vpnbot::db
