#pragma once

// The only code path that turns money into subscription time or balance,
// in ONE transaction (the caller's):
//   * the payment is locked; only a pending one moves, to succeeded;
//   * provider, amount and currency must equal what was issued, else it is
//     flagged `mismatch` for an operator and nothing is granted;
//   * a plan payment extends the user's paid subscription (or provisions a
//     new one) to max(now, expiry) + days, computed once and stored on the
//     payment; the activation job's idempotency key is the payment id;
//   * a promo discount the price included is spent by the payment, once;
//   * a top-up is a ledger credit with the payment as its reference;
//   * the referrer's bonus is a ledger entry granted once per referee;
//   * the user's "payment received" message is queued in the same
//     transaction.
// A payment we gave up on ourselves (expired by its TTL, failed or
// cancelled) is still granted when its provider confirms the money
// afterwards — the customer paid for exactly what we issued — and the grant
// is recorded for an operator (audit `payment_paid_late`, result
// granted_late); a late confirmation that does not match is a `mismatch`.
// A replay finds the payment succeeded (or flagged) and changes nothing.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/bot/ui/texts.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::payments {

struct payment_confirmation {
  std::string payment_id;  // ours, as carried in the provider's payload
  std::string provider;
  std::string provider_payment_id;
  int64_t amount = 0;  // minor units, as the provider reports it
  std::string currency;
};

enum class finalize_result { granted, granted_late, already_final, mismatch, unknown_payment };

struct finalize_outcome {
  finalize_result result = finalize_result::unknown_payment;
  std::optional<std::string> granted_expiry;
  std::optional<int64_t> subscription_id;
};

struct finalizer_context {
  const telegram::texts* catalog = &telegram::texts::builtin();
  int64_t referral_bonus = 0;  // minor units of the referrer's balance currency
};

// The user's message goes to `writer` (the caller's transaction).
finalize_outcome finalize_payment(pqxx::dbtransaction& tx, const payment_confirmation& c,
                                  const finalizer_context& ctx, telegram::outbox_writer& writer);

}  // namespace vpnbot::payments
