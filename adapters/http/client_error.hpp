#pragma once

// Why an outgoing HTTP call produced no response, as a CAF error category.
// The code names the phase that failed; the context is one sentence with
// the host:port and the cause, never the URL's path or query.

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vpnbot::http {

enum class client_errc : uint8_t {
  // 0 is "no error" in CAF.
  invalid_request = 1,  // bad URL, unsupported scheme, CR/LF in a header
  resolve = 2,
  connect = 3,
  tls = 4,  // handshake or certificate verification
  write = 5,
  read = 6,     // connection lost or malformed response
  timeout = 7,  // the context says which: connect, tls, read or total
  body_too_large = 8,
};

std::string_view to_string(client_errc code);

// The client error code of `e`, or nullopt when `e` is not an HTTP client error.
std::optional<client_errc> client_error_code(const caf::error& e);

}  // namespace vpnbot::http

CAF_ERROR_CODE_ENUM(vpnbot::http::client_errc, "http")
