#pragma once

// Tolerant parsing of Bot API objects: unknown fields are ignored, optional
// fields may be missing or null, and a required field that is missing or of
// the wrong type makes only the object that holds it malformed. A batch from
// getUpdates is parsed entry by entry, so one bad update is reported and
// skipped while the rest go through and the offset still advances.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/telegram/result.hpp"
#include "adapters/telegram/types.hpp"

namespace vpnbot::telegram {

struct parse_error {
  std::optional<std::int64_t> update_id;  // when at least that much was readable
  std::string reason;                     // JSON path and what was expected
};

result<update, parse_error> parse_update(const nlohmann::json& j);
// A webhook body.
result<update, parse_error> parse_update(std::string_view body);

struct update_batch {
  std::vector<update> updates;
  std::vector<parse_error> skipped;
  // The offset that confirms every entry seen, malformed ones included.
  std::optional<std::int64_t> next_offset;
};

// The result of getUpdates; fails only when it is not an array.
result<update_batch, std::string> parse_updates(const nlohmann::json& result);

result<user, std::string> parse_user(const nlohmann::json& j);  // getMe
result<message, std::string> parse_message(
    const nlohmann::json& j);  // sendMessage, edits, sendPhoto
result<webhook_info, std::string> parse_webhook_info(const nlohmann::json& j);

}  // namespace vpnbot::telegram
