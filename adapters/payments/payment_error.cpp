#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments {

std::string_view to_string(payment_errc code) {
  switch (code) {
    case payment_errc::invalid_argument:
      return "invalid_argument";
    case payment_errc::malformed:
      return "malformed";
    case payment_errc::bad_signature:
      return "bad_signature";
    case payment_errc::rejected:
      return "rejected";
    case payment_errc::retry_later:
      return "retry_later";
    case payment_errc::unexpected_status:
      return "unexpected_status";
    case payment_errc::source_not_allowed:
      return "source_not_allowed";
  }
  return "unknown";
}

caf::error invalid(std::string text) {
  return caf::make_error(payment_errc::invalid_argument, std::move(text));
}

caf::error malformed(std::string text) {
  return caf::make_error(payment_errc::malformed, std::move(text));
}

std::optional<payment_errc> payment_error_code(const caf::error& e) {
  if (!e || e.category() != caf::atom("payment")) return std::nullopt;
  return static_cast<payment_errc>(e.code());
}

}  // namespace vpnbot::payments
