#pragma once

// Payments as an operator sees them (a filtered list, newest first) and an
// operator's refund. A Telegram Stars payment is refunded whole: the refund
// is taken back in this transaction (payments::take_back, the same path as
// the bot's /refund) and refundStarPayment is queued in the outbox. Other
// providers' refunds start at the provider (YooKassa's POST /v3/refunds
// from our side is not built yet): they are refused as a conflict naming
// the provider, and the provider's refund notification, when the operator
// refunds in its dashboard, takes the payment back as usual.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "domain/admin/acting_operator.hpp"
#include "domain/admin/action_result.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::admin {

struct payment_filter {
  std::optional<std::string>
      status;  // pending | succeeded | failed | expired | refunded | mismatch
  std::optional<std::string> provider;  // as stored, e.g. stars
  std::optional<int64_t> telegram_id;   // the payer
  int limit = 100;
};

// bad_input naming `status` or `provider` for a value no payment can have.
action_result<nlohmann::json> list_payments(pqxx::dbtransaction& tx, const payment_filter& f);

struct payment_refunded {
  std::string payment_id;
  int64_t amount_minor = 0;
  std::string currency;
  bool fully_refunded = false;
};

// amount_minor: nullopt refunds what is left of the payment.
action_result<payment_refunded> refund_payment(pqxx::dbtransaction& tx, const acting_operator& who,
                                               const std::string& payment_id,
                                               std::optional<int64_t> amount_minor,
                                               telegram::outbox_writer& out);

}  // namespace vpnbot::admin
