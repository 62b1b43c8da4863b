#include "adapters/telegram/success_envelope.hpp"

#include <nlohmann/json.hpp>

namespace vpnbot::telegram {
namespace {

// Watches the top-level object's "ok" and "result" members only.
struct envelope_reader {
  using json = nlohmann::json;
  int depth = 0;
  bool top_is_object = false;
  bool at_ok = false;
  bool ok = false;
  bool has_result = false;

  bool value() {
    at_ok = false;
    return true;
  }
  bool null() { return value(); }
  bool boolean(bool v) {
    if (at_ok) ok = v;
    return value();
  }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) {
    if (depth == 0) top_is_object = true;
    at_ok = false;
    ++depth;
    return true;
  }
  bool end_object() {
    --depth;
    return true;
  }
  bool start_array(std::size_t) {
    at_ok = false;
    ++depth;
    return true;
  }
  bool end_array() {
    --depth;
    return true;
  }
  bool key(json::string_t& k) {
    if (depth != 1) return true;
    at_ok = k == "ok";
    if (k == "result") has_result = true;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }
};

}  // namespace

bool is_success_envelope(std::string_view body) {
  envelope_reader r;
  auto whole = nlohmann::json::sax_parse(body, &r, nlohmann::json::input_format_t::json, true);
  return whole && r.top_is_object && r.ok && r.has_result;
}

}  // namespace vpnbot::telegram
