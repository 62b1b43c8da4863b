#pragma once

// Telegram Stars (currency XTR), PROTOCOLS.md §2: the sendInvoice
// parameters, the answer to a pre_checkout_query (which must go out within
// 10 s, so the decision is a pure function of what the database says), and
// the successful_payment that confirms the payment.

#include <caf/expected.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/payments/money.hpp"

namespace vpnbot::payments::stars {

// Stored in payments.provider and offered as a payment method.
inline constexpr std::string_view provider_name = "stars";
inline constexpr std::string_view currency = "XTR";

struct invoice_request {
  int64_t chat_id = 0;
  std::string title;        // 1 to 32 characters
  std::string description;  // 1 to 255 characters
  std::string payment_id;   // ours, the invoice payload: 1 to 128 bytes
  int64_t stars = 0;        // the price, a whole number of stars
  std::string price_label;  // the label of the one price entry
};

// The JSON body of sendInvoice: currency XTR, exactly one price, an empty
// provider_token.
caf::expected<nlohmann::json> send_invoice_parameters(const invoice_request& request);

struct pre_checkout_query {
  std::string id;
  int64_t from_id = 0;
  std::string currency;
  int64_t total_amount = 0;
  std::string invoice_payload;  // our payment id
};

caf::expected<pre_checkout_query> parse_pre_checkout_query(const nlohmann::json& query);

// What our database knows about the payment the payload names.
struct payment_record {
  bool pending = false;  // still waiting for money (not paid, canceled or expired)
  money amount;          // what the invoice asked for
};

enum class pre_checkout_verdict { ok, unknown_payment, not_pending, wrong_currency, wrong_amount };

struct pre_checkout_decision {
  pre_checkout_verdict verdict = pre_checkout_verdict::ok;
  bool ok() const { return verdict == pre_checkout_verdict::ok; }
  // Shown to the user by Telegram when not ok; empty when ok. Callers that
  // localise use the verdict instead.
  std::string error_message;
};

// ok only for a pending payment whose currency and amount match the query.
pre_checkout_decision decide_pre_checkout(const pre_checkout_query& query,
                                          const std::optional<payment_record>& record);

// The JSON body of answerPreCheckoutQuery.
nlohmann::json answer_pre_checkout_parameters(std::string_view query_id,
                                              const pre_checkout_decision& decision);

struct successful_payment {
  std::string currency;
  int64_t total_amount = 0;
  std::string invoice_payload;  // our payment id
  std::string telegram_payment_charge_id;
  std::string provider_payment_charge_id;

  // Unique per payment: "charge:<telegram_payment_charge_id>" (also what a
  // refund needs).
  std::string event_id() const { return "charge:" + telegram_payment_charge_id; }
};

// The message's successful_payment object.
caf::expected<successful_payment> parse_successful_payment(const nlohmann::json& object);

}  // namespace vpnbot::payments::stars
