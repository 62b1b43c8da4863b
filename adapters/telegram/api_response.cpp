#include "adapters/telegram/api_response.hpp"

#include <algorithm>
#include <cctype>

#include "adapters/codec/ascii.hpp"
#include "adapters/codec/utf8.hpp"
#include "adapters/telegram/endpoint.hpp"

namespace vpnbot::telegram {

namespace {

constexpr std::size_t max_description_bytes = 512;
constexpr std::size_t foreign_excerpt_bytes = 160;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// At most `max` bytes and "...", cut between characters so the result
// stays valid JSON text.
std::string abridged(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  return codec::truncate_utf8(s, max, codec::text_unit::bytes) + "...";
}

// A foreign body (an HTML error page, a truncated reply) as one short line.
std::string excerpt(std::string_view body) {
  std::string flat;
  for (char c : body.substr(0, foreign_excerpt_bytes * 2)) {
    bool space = c == '\n' || c == '\r' || c == '\t';
    if (space && (flat.empty() || flat.back() == ' ')) continue;
    flat += space ? ' ' : c;
  }
  return abridged(flat, foreign_excerpt_bytes);
}

std::optional<std::chrono::seconds> retry_after_in(const std::string& description) {
  static constexpr std::string_view marker = "retry after ";
  auto at = description.find(marker);
  if (at == std::string::npos) return std::nullopt;
  long long n = 0;
  std::size_t digits = 0;
  for (auto i = at + marker.size(); i < description.size() && digits < 9; ++i, ++digits) {
    if (!std::isdigit(static_cast<unsigned char>(description[i]))) break;
    n = n * 10 + (description[i] - '0');
  }
  if (digits == 0) return std::nullopt;
  return std::chrono::seconds(n);
}

// The kind a bare HTTP status implies when the body is not an envelope.
error_kind kind_of_status(int status) {
  if (status == 429) return error_kind::flood;
  if (status == 401) return error_kind::unauthorized;
  if (status == 403) return error_kind::forbidden;
  if (status == 404) return error_kind::not_found;
  if (status >= 400 && status < 500) return error_kind::bad_request;
  return error_kind::server_error;
}

telegram_error foreign(int status, std::string_view body) {
  telegram_error e;
  e.kind = kind_of_status(status);
  e.code = status;
  e.description =
      redact("HTTP " + std::to_string(status) + " without a Bot API envelope: " + excerpt(body));
  return e;
}

}  // namespace

std::string_view to_string(error_kind k) {
  switch (k) {
    case error_kind::flood:
      return "flood";
    case error_kind::blocked:
      return "blocked";
    case error_kind::deactivated:
      return "deactivated";
    case error_kind::forbidden:
      return "forbidden";
    case error_kind::not_modified:
      return "not_modified";
    case error_kind::query_too_old:
      return "query_too_old";
    case error_kind::chat_migrated:
      return "chat_migrated";
    case error_kind::unauthorized:
      return "unauthorized";
    case error_kind::conflict_webhook:
      return "conflict_webhook";
    case error_kind::conflict_other_poller:
      return "conflict_other_poller";
    case error_kind::not_found:
      return "not_found";
    case error_kind::bad_request:
      return "bad_request";
    case error_kind::server_error:
      return "server_error";
    case error_kind::transport:
      return "transport";
  }
  return "unknown";
}

error_kind classify(int code, std::string_view description) {
  auto d = codec::ascii_lower(description);
  switch (code) {
    case 429:
      return error_kind::flood;
    case 401:
      return error_kind::unauthorized;
    case 404:
      return error_kind::not_found;
    case 403:
      if (contains(d, "blocked by the user")) return error_kind::blocked;
      if (contains(d, "user is deactivated")) return error_kind::deactivated;
      return error_kind::forbidden;
    case 409:
      if (contains(d, "webhook is active")) return error_kind::conflict_webhook;
      if (contains(d, "terminated by other getupdates")) return error_kind::conflict_other_poller;
      return error_kind::bad_request;
    case 400:
      if (contains(d, "message is not modified")) return error_kind::not_modified;
      if (contains(d, "query is too old") || contains(d, "query id is invalid"))
        return error_kind::query_too_old;
      if (contains(d, "upgraded to a supergroup")) return error_kind::chat_migrated;
      return error_kind::bad_request;
    default:
      return kind_of_status(code);
  }
}

result<nlohmann::json, telegram_error> parse_response(int http_status, std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("ok") || !doc["ok"].is_boolean())
    return fail(foreign(http_status, body));
  if (doc["ok"].get<bool>()) {
    if (!doc.contains("result")) return fail(foreign(http_status, body));
    return std::move(doc["result"]);
  }
  telegram_error e;
  // The envelope's own code is authoritative; the status stands in when a
  // hand-written error (an emulator, a proxy) leaves it out.
  e.code = http_status;
  if (doc.contains("error_code") && doc["error_code"].is_number_integer())
    e.code =
        static_cast<int>(std::clamp<std::int64_t>(doc["error_code"].get<std::int64_t>(), 0, 999));
  if (doc.contains("description") && doc["description"].is_string())
    e.description = redact(abridged(doc["description"].get<std::string>(), max_description_bytes));
  e.kind = classify(e.code, e.description);
  if (doc.contains("parameters") && doc["parameters"].is_object()) {
    const auto& p = doc["parameters"];
    if (p.contains("retry_after") && p["retry_after"].is_number_integer())
      e.retry_after =
          std::chrono::seconds(std::max<std::int64_t>(0, p["retry_after"].get<std::int64_t>()));
    if (p.contains("migrate_to_chat_id") && p["migrate_to_chat_id"].is_number_integer()) {
      e.migrate_to_chat_id = p["migrate_to_chat_id"].get<std::int64_t>();
      e.kind = error_kind::chat_migrated;
    }
  }
  if (e.kind == error_kind::flood && !e.retry_after)
    e.retry_after = retry_after_in(codec::ascii_lower(e.description));
  return fail(std::move(e));
}

telegram_error transport_error(std::string_view what) {
  telegram_error e;
  e.kind = error_kind::transport;
  e.description = redact(abridged(what, max_description_bytes));
  return e;
}

}  // namespace vpnbot::telegram
