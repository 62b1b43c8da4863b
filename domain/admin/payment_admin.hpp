#pragma once

// Payments as an operator sees them (a filtered list, newest first) and an
// operator's refund:
// * Telegram Stars: refunded whole, taken back in this transaction
//   (payments::take_back, the same path as the bot's /refund), and
//   refundStarPayment queued in the outbox;
// * YooKassa: a refund request is recorded in this transaction (whole or
//   part of what is left, one unsettled request per payment) and the
//   payments subtree's refund_sender makes it at YooKassa; the take-back
//   follows when YooKassa says it succeeded;
// * other providers have no refund API here: refused as a conflict naming
//   the provider (their refund notification, when the operator refunds in
//   the provider's dashboard, takes the payment back as usual).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <variant>

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

// A refund asked of the provider, made after this transaction commits.
struct refund_requested {
  std::string request_id;  // also the provider's idempotency key
  std::string payment_id;
  std::string provider;
  int64_t amount_minor = 0;
  std::string currency;
};

using refund_answer = std::variant<payment_refunded, refund_requested>;

// amount_minor: nullopt refunds what is left of the payment (less what
// unsettled requests ask for).
action_result<refund_answer> refund_payment(pqxx::dbtransaction& tx, const acting_operator& who,
                                            const std::string& payment_id,
                                            std::optional<int64_t> amount_minor,
                                            telegram::outbox_writer& out);

}  // namespace vpnbot::admin
