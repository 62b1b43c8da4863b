#pragma once

// A refund takes back what its payment paid for, in ONE transaction (the
// caller's), exactly once per refund the provider reports:
//   * the refund is recorded by the provider's refund id; a replay finds it
//     and changes nothing; refunds beyond the payment's amount are refused;
//   * the payment becomes `refunded` when its refunds add up to its amount
//     (a partial refund leaves it `succeeded`);
//   * a plan payment's subscription loses the refunded share of the days
//     the plan granted (pro rata); if that puts its expiry in the past the
//     subscription expires and its client is disabled through a job, else
//     the panel gets the earlier expiry through a job;
//   * a top-up's balance credit is debited by the refunded amount, as far as
//     the balance goes (an overdraft is refused by the ledger; the shortfall
//     is audited for an operator);
//   * a referral bonus this payment earned is taken back pro rata, the same
//     way;
//   * the user is told, in the same transaction.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "domain/bot/ui/texts.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::payments {

struct refund_report {
  std::string provider;
  std::string refund_id;   // the provider's, unique per refund
  std::string payment_id;  // ours
  int64_t amount = 0;      // minor units
  std::string currency;
};

enum class refund_result {
  taken_back,       // recorded and applied now
  already_applied,  // this refund was recorded before
  unknown_payment,  // no such payment, or it never succeeded
  mismatch,         // another currency, or more than was paid
};

struct refund_outcome {
  refund_result result = refund_result::unknown_payment;
  bool fully_refunded = false;
  std::optional<std::string> new_expiry;  // a plan payment's subscription, ISO 8601 UTC
};

refund_outcome take_back(pqxx::dbtransaction& tx, const refund_report& r,
                         const telegram::texts& catalog, telegram::outbox_writer& writer);

std::string_view name_of(refund_result r);

}  // namespace vpnbot::payments
