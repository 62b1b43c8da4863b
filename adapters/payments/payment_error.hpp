#pragma once

// Why a payment provider exchange failed, as a CAF error category
// ("payment"). The context is one sentence for logs: it never holds tokens,
// passwords, signatures or Basic credentials.

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::payments {

enum class payment_errc : uint8_t {
  // 0 is "no error" in CAF.
  invalid_argument = 1,    // our request cannot be built (amount, currency, id)
  malformed = 2,           // the body is not what the provider sends
  bad_signature = 3,       // missing or wrong signature: reject, change nothing
  rejected = 4,            // the provider answered with an error object
  retry_later = 5,         // accepted for processing (YooKassa 202), rate limited or 5xx
  unexpected_status = 6,   // any other HTTP status
  source_not_allowed = 7,  // the notification came from outside the allow-list
};

std::string_view to_string(payment_errc code);

// The two errors every adapter builds: a request it refuses to build, and a
// reply or notification that is not what the provider sends.
caf::error invalid(std::string text);
caf::error malformed(std::string text);

// The payment error code of `e`, or nullopt when `e` is not a payment error.
std::optional<payment_errc> payment_error_code(const caf::error& e);

}  // namespace vpnbot::payments

CAF_ERROR_CODE_ENUM(vpnbot::payments::payment_errc, "payment")
