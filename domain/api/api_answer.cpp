#include "domain/api/api_answer.hpp"

#include "adapters/codec/decimal.hpp"

namespace vpnbot::api {

http_response json_answer(int status, const nlohmann::json& body) {
  return {status, "application/json", {}, body.dump()};
}

http_response error_answer(int status, const std::string& code, const std::string& message,
                           const std::string& field) {
  nlohmann::json body{{"error", code}, {"message", message}};
  if (!field.empty()) body["field"] = field;
  return json_answer(status, body);
}

http_response bad_field(const std::string& field, const std::string& message) {
  return error_answer(400, "bad_request", field + ": " + message, field);
}

http_response refused(const admin::action_error& e) {
  switch (e.kind) {
    case admin::refusal::not_found:
      return error_answer(404, "not_found", e.message);
    case admin::refusal::bad_input:
      return bad_field(e.field, e.message);
    case admin::refusal::conflict:
      return error_answer(409, "conflict", e.message);
  }
  return error_answer(500, "internal", e.message);
}

std::variant<int64_t, http_response> integer_param(const std::string& name,
                                                   const std::string& text) {
  auto v = codec::decimal<int64_t>(text);
  if (!v) return bad_field(name, "expected a whole number");
  return *v;
}

std::variant<std::optional<int64_t>, http_response> integer_field(const api_call& c,
                                                                  const std::string& name) {
  auto it = c.body.find(name);
  if (it == c.body.end() || it->is_null()) return std::optional<int64_t>{};
  if (!it->is_number_integer()) return bad_field(name, "expected a whole number");
  return std::optional<int64_t>{it->get<int64_t>()};
}

std::variant<std::optional<std::string>, http_response> string_field(const api_call& c,
                                                                     const std::string& name) {
  auto it = c.body.find(name);
  if (it == c.body.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return bad_field(name, "expected a string");
  return std::optional<std::string>{it->get<std::string>()};
}

}  // namespace vpnbot::api
