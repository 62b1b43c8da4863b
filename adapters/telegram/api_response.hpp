#pragma once

// Turns a Bot API HTTP response into the method's result or a typed error.
// Telegram answers {"ok":true,"result":...} or an error envelope
// {"ok":false,"error_code":N,"description":"...","parameters":{...}} whose
// error_code equals the HTTP status. Proxies in between may answer with HTML
// or nothing; those become errors of the kind the status implies.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/telegram/result.hpp"

namespace vpnbot::telegram {

enum class error_kind {
  flood,                  // 429: wait retry_after
  blocked,                // 403: the user blocked the bot
  deactivated,            // 403: the user deleted the account
  forbidden,              // 403, anything else (e.g. "bot can't initiate conversation")
  not_modified,           // 400: an edit with identical content (a success for us)
  query_too_old,          // 400: a callback answered too late
  chat_migrated,          // 400: group became a supergroup, see migrate_to_chat_id
  unauthorized,           // 401: bad token
  conflict_webhook,       // 409: getUpdates while a webhook is set
  conflict_other_poller,  // 409: another getUpdates took over
  not_found,              // 404: unknown method or wrong base URL
  bad_request,            // any other 4xx
  server_error,           // 5xx, or a response that is not the Bot API's
  transport,              // no response: connect/read failure or timeout
};

std::string_view to_string(error_kind k);

struct telegram_error {
  error_kind kind = error_kind::server_error;
  int code = 0;             // error_code (= HTTP status); 0 when there was no response
  std::string description;  // Telegram's text, or a short excerpt of a foreign body; redacted
  std::optional<std::chrono::seconds> retry_after;
  std::optional<std::int64_t> migrate_to_chat_id;
};

// The kind of an error envelope, from its code and description.
error_kind classify(int code, std::string_view description);

// The "result" of a successful call, or the error.
result<nlohmann::json, telegram_error> parse_response(int http_status, std::string_view body);

// For failures below HTTP (the client's error text is redacted here).
telegram_error transport_error(std::string_view what);

}  // namespace vpnbot::telegram
