#pragma once

// A payment provider's API call as the HTTP client takes it.

#include <chrono>

#include "adapters/outbound_request.hpp"
#include "messages/http_client.hpp"

namespace vpnbot::payments {

// `r` for the HTTP client, bounded by `timeout`.
http_client_request provider_call(outbound_request r, std::chrono::milliseconds timeout);

}  // namespace vpnbot::payments
