#pragma once

// YooKassa API v3, PROTOCOLS.md §3.1: payments with a redirect
// confirmation, captured at once. Notifications carry no signature: check
// the source address against the published ranges and trust only the
// status a fresh GET /payments/{id} returns. Basic credentials never appear
// in errors.

#include <caf/expected.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/outbound_request.hpp"
#include "adapters/payments/ip_allowlist.hpp"
#include "adapters/payments/money.hpp"
#include "messages/http.hpp"

namespace vpnbot::payments::yookassa {

struct settings {
  std::string api_base = "https://api.yookassa.ru/v3/";
  std::string shop_id;
  std::string secret_key;
};

// description: at most this many characters (code points).
inline constexpr std::size_t max_description = 128;

// The metadata key that carries our payment id.
inline constexpr std::string_view payment_id_key = "payment_id";

struct payment_request {
  std::string payment_id;                 // ours: the Idempotence-Key (≤ 64 chars) and metadata
  money price;                            // e.g. {19900, "RUB"}
  std::string description;                // ≤ 128 characters; empty: none
  std::string return_url;                 // where the payer returns to (the bot's t.me link)
  std::optional<nlohmann::json> receipt;  // 54-FZ receipt object, when fiscalisation is on
};

caf::expected<outbound_request> create_payment_request(const settings& s,
                                                       const payment_request& request);
caf::expected<outbound_request> get_payment_request(const settings& s,
                                                    std::string_view yookassa_id);
// GET /refunds/{id}: a refund notification is only a hint, like the others.
caf::expected<outbound_request> get_refund_request(const settings& s, std::string_view refund_id);

// An operator's refund of (part of) a succeeded payment.
struct new_refund {
  std::string request_id;           // ours: the Idempotence-Key (≤ 64 chars)
  std::string yookassa_payment_id;  // YooKassa's id of the payment
  money amount;                     // e.g. {10000, "RUB"}
};
// POST /refunds {"payment_id", "amount"} with Idempotence-Key = request_id:
// a repeat with the same key is the same refund, never a second one.
caf::expected<outbound_request> create_refund_request(const settings& s, const new_refund& r);

enum class payment_status { pending, waiting_for_capture, succeeded, canceled };
std::string_view to_string(payment_status status);

struct payment {
  std::string id;  // YooKassa's
  payment_status status = payment_status::pending;
  bool paid = false;
  bool test = false;
  money amount;
  std::string confirmation_url;  // where to send the payer, while pending
  std::map<std::string, std::string> metadata;
  std::string payment_id;  // ours, from metadata
  std::string created_at;
  std::string captured_at;
  std::string cancellation_reason;
};

struct refund {
  std::string id;
  std::string yookassa_payment_id;
  std::string status;
  money amount;
  std::string created_at;
};

caf::expected<payment> parse_payment(const nlohmann::json& object);
caf::expected<refund> parse_refund(const nlohmann::json& object);

// The reply to create or get: the payment on 200; payment_errc::retry_later
// on 202 (repeat with the same Idempotence-Key), 429 and 5xx; rejected with
// the error code and description on other error objects.
caf::expected<payment> read_payment_reply(int status, std::string_view body);
// The reply to POST /refunds: the refund on 200 (succeeded, pending or
// canceled); other statuses as for payments (a 400 error object, e.g. an
// amount over what is left, is rejected with its description).
caf::expected<refund> read_refund_creation_reply(int status, std::string_view body);
// The reply to GET /refunds/{id}: the refund on 200, nullopt when YooKassa
// knows no such refund (404); other statuses as for payments.
caf::expected<std::optional<refund>> read_refund_reply(int status, std::string_view body);

enum class event_kind {
  payment_succeeded,
  payment_waiting_for_capture,
  payment_canceled,
  refund_succeeded,
  other,  // an event we do not act on: acknowledge it
};

struct notification {
  std::string event;  // as sent, e.g. "payment.succeeded"
  event_kind kind = event_kind::other;
  std::optional<payment> payment_object;  // payment.* events
  std::optional<refund> refund_object;    // refund.succeeded
  std::string object_id;

  // Unique per event: "<event>:<object id>".
  std::string event_id() const { return event + ":" + object_id; }
};

caf::expected<notification> parse_notification(std::string_view body);

// The published notification source ranges (PROTOCOLS.md §3.1).
std::vector<std::string> notification_sources();

// The source check (when `sources` is given), then the notification.
caf::expected<notification> accept_notification(const http_request& request,
                                                const ip_allowlist* sources);

}  // namespace vpnbot::payments::yookassa
