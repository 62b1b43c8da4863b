#pragma once

// The error code of a failed result, nullopt for a success: what the
// protocol and provider tests compare.

#include <caf/expected.hpp>
#include <optional>

#include "adapters/panel/panel_error.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments {

template <class T>
std::optional<payment_errc> payment_code(const caf::expected<T>& r) {
  return r ? std::nullopt : payment_error_code(r.error());
}

}  // namespace vpnbot::payments

namespace vpnbot::panel {

template <class T>
std::optional<panel_errc> panel_code(const caf::expected<T>& r) {
  return r ? std::nullopt : panel_error_code(r.error());
}

}  // namespace vpnbot::panel
