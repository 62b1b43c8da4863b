#include "adapters/codec/json_object_writer.hpp"

#include "adapters/codec/json_string.hpp"

namespace vpnbot::codec {

void json_object_writer::key(std::string_view k) {
  if (out_.size() > 1) out_ += ',';
  append_json_string(out_, k);
  out_ += ':';
}

json_object_writer& json_object_writer::string(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(out_, value);
  return *this;
}

json_object_writer& json_object_writer::number(std::string_view k, std::int64_t value) {
  key(k);
  out_ += std::to_string(value);
  return *this;
}

json_object_writer& json_object_writer::string_or_null(std::string_view k,
                                                       const std::optional<std::string>& value) {
  return value ? string(k, *value) : json(k, "null");
}

json_object_writer& json_object_writer::number_or_null(std::string_view k,
                                                       std::optional<std::int64_t> value) {
  return value ? number(k, *value) : json(k, "null");
}

json_object_writer& json_object_writer::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

json_object_writer& json_object_writer::json(std::string_view k, std::string_view text) {
  key(k);
  out_ += text;
  return *this;
}

std::string json_object_writer::finish() {
  out_ += '}';
  return std::move(out_);
}

std::string json_string_array(const std::vector<std::string>& strings) {
  std::string out = "[";
  for (const auto& s : strings) {
    if (out.size() > 1) out += ',';
    append_json_string(out, s);
  }
  out += ']';
  return out;
}

}  // namespace vpnbot::codec
