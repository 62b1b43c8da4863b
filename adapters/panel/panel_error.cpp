#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {

std::string_view to_string(panel_errc code) {
  switch (code) {
    case panel_errc::invalid_argument:
      return "invalid_argument";
    case panel_errc::malformed_reply:
      return "malformed_reply";
    case panel_errc::rejected:
      return "rejected";
    case panel_errc::duplicate_email:
      return "duplicate_email";
    case panel_errc::client_not_found:
      return "client_not_found";
    case panel_errc::last_client:
      return "last_client";
    case panel_errc::record_not_found:
      return "record_not_found";
    case panel_errc::empty_client_id:
      return "empty_client_id";
    case panel_errc::login_failed:
      return "login_failed";
    case panel_errc::session_expired:
      return "session_expired";
    case panel_errc::csrf_rejected:
      return "csrf_rejected";
    case panel_errc::server_panic:
      return "server_panic";
    case panel_errc::endpoint_missing:
      return "endpoint_missing";
    case panel_errc::unexpected_status:
      return "unexpected_status";
    case panel_errc::unsupported_inbound:
      return "unsupported_inbound";
    case panel_errc::circuit_open:
      return "circuit_open";
    case panel_errc::overloaded:
      return "overloaded";
    case panel_errc::unreachable:
      return "unreachable";
    case panel_errc::timeout:
      return "timeout";
  }
  return "unknown";
}

std::optional<panel_errc> panel_error_code(const caf::error& e) {
  if (!e || e.category() != caf::atom("panel")) return std::nullopt;
  return static_cast<panel_errc>(e.code());
}

}  // namespace vpnbot::panel
