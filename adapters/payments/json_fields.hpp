#pragma once

// Reading the providers' JSON tolerantly: an absent or null field reads as
// empty, a field of another type reads as absent, so each parser states
// plainly which fields it requires.

#include <caf/expected.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::payments {

// The body as a JSON object, or payment_errc::malformed naming `what`.
caf::expected<nlohmann::json> parse_object(std::string_view body, std::string_view what);

// The string at key; "" when absent or not a string.
std::string string_field(const nlohmann::json& object, const char* key);
// A whole number at key, written as a JSON integer or a string of digits.
std::optional<int64_t> integer_field(const nlohmann::json& object, const char* key);
// true/false at key; nullopt when absent or not a boolean.
std::optional<bool> bool_field(const nlohmann::json& object, const char* key);
// The object at key, or nullptr.
const nlohmann::json* object_field(const nlohmann::json& object, const char* key);

// Length in Unicode code points of UTF-8 text (providers limit characters,
// not bytes).
std::size_t utf8_length(std::string_view text);

}  // namespace vpnbot::payments
