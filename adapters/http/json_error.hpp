#pragma once

// The one shape of every error the HTTP server answers itself:
// {"error":"not_found","message":"..."} with a fitting status.

#include <string_view>

#include "messages/http.hpp"

namespace vpnbot::http {

http_response json_error(int status, std::string_view code, std::string_view message);

}  // namespace vpnbot::http
