#pragma once

// The seam between Bot API requests as data (bot_api) and the HTTP client:
// an api_request becomes an http_client_request with Telegram-fit timeouts,
// and whatever came back (a response, or a transport failure) becomes the
// result or a telegram_error the outbox can decide on.

#include <caf/expected.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "adapters/telegram/api_response.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "messages/http_client.hpp"

namespace vpnbot::telegram {

// Long polls get a read timeout beyond the time Telegram may hold them open.
http_client_request to_http_request(const api_request& request,
                                    std::chrono::milliseconds margin = std::chrono::seconds(10));

// A transport failure is a telegram_error of kind transport whose text names
// the phase (connect, timeout, ...), never the URL with its token.
result<nlohmann::json, telegram_error> from_http_result(
    const caf::expected<http_client_response>& response);

// As from_http_result for a caller that needs no result (the outbox): a
// success comes back as null, checked without parsing the result.
result<nlohmann::json, telegram_error> outcome_of(
    const caf::expected<http_client_response>& response);

}  // namespace vpnbot::telegram
