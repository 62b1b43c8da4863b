#pragma once

// A JSON object written as text, member by member, where a document would
// cost a std::map node and a string per member and then a dump. Members are
// written in the order they are added; callers that must match what a
// document wrote add them in sorted key order, as nlohmann's std::map keeps
// them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnbot::codec {

class json_object_writer {
 public:
  json_object_writer& string(std::string_view key, std::string_view value);
  json_object_writer& number(std::string_view key, std::int64_t value);
  json_object_writer& boolean(std::string_view key, bool value);
  // null when there is no value.
  json_object_writer& string_or_null(std::string_view key, const std::optional<std::string>& value);
  json_object_writer& number_or_null(std::string_view key, std::optional<std::int64_t> value);
  // A member whose value is JSON text already: a nested object or array.
  json_object_writer& json(std::string_view key, std::string_view text);
  // The object's text; the writer is spent.
  std::string finish();

 private:
  void key(std::string_view k);
  std::string out_ = "{";
};

// ["a","b"]
std::string json_string_array(const std::vector<std::string>& strings);

}  // namespace vpnbot::codec
