#pragma once

// Why a 3x-ui exchange failed, as a CAF error category ("panel"). The code
// is what callers branch on; the context is one sentence for logs that never
// holds credentials, cookies or tokens.

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vpnbot::panel {

enum class panel_errc : uint8_t {
  // 0 is "no error" in CAF.
  invalid_argument = 1,  // our input cannot be put on the wire (bad id, bad base path)
  malformed_reply = 2,   // not the envelope, or obj has the wrong shape
  rejected = 3,          // success:false with a message we do not recognise
  duplicate_email = 4,   // "Duplicate email": the client exists already
  client_not_found = 5,  // "Client Not Found ..."
  last_client = 6,       // "no client remained in Inbound": the panel keeps one
  record_not_found = 7,  // gorm "record not found": no such inbound
  empty_client_id = 8,
  login_failed = 9,          // wrong credentials or 2FA code (the login reply)
  session_expired = 10,      // log in again and repeat
  csrf_rejected = 11,        // bare 403 on v3.0+: fetch a new CSRF token
  server_panic = 12,         // bare 500: the Go handler panicked (e.g. malformed settings)
  endpoint_missing = 13,     // 404 while logged in: the legacy API is gone (v3.1+)
  unexpected_status = 14,    // any other HTTP status
  unsupported_inbound = 15,  // a share link cannot be built from this inbound
  circuit_open = 16,         // the panel actor's breaker refuses calls for now
  overloaded = 17,           // the panel actor's queue is full
  unreachable = 18,          // no HTTP answer: resolve, connect, TLS, read or write failed
  timeout = 19,              // no HTTP answer within the call's timeout
};

std::string_view to_string(panel_errc code);

// The panel error code of `e`, or nullopt when `e` is not a panel error.
std::optional<panel_errc> panel_error_code(const caf::error& e);

}  // namespace vpnbot::panel

CAF_ERROR_CODE_ENUM(vpnbot::panel::panel_errc, "panel")
