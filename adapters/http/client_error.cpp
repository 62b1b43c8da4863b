#include "adapters/http/client_error.hpp"

namespace vpnbot::http {

std::string_view to_string(client_errc code) {
  switch (code) {
    case client_errc::invalid_request:
      return "invalid_request";
    case client_errc::resolve:
      return "resolve";
    case client_errc::connect:
      return "connect";
    case client_errc::tls:
      return "tls";
    case client_errc::write:
      return "write";
    case client_errc::read:
      return "read";
    case client_errc::timeout:
      return "timeout";
    case client_errc::body_too_large:
      return "body_too_large";
  }
  return "unknown";
}

std::optional<client_errc> client_error_code(const caf::error& e) {
  if (!e || e.category() != caf::atom("http")) return std::nullopt;
  return static_cast<client_errc>(e.code());
}

}  // namespace vpnbot::http
