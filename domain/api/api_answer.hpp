#pragma once

// The API's answers: JSON bodies, errors as {"error", "message"} (plus
// "field" for bad input), and the reading of ids and body fields that
// answers 400 naming the field.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "domain/admin/action_result.hpp"
#include "domain/api/api_route.hpp"
#include "messages/http.hpp"

namespace vpnbot::api {

http_response json_answer(int status, const nlohmann::json& body);
http_response error_answer(int status, const std::string& code, const std::string& message,
                           const std::string& field = {});
http_response bad_field(const std::string& field, const std::string& message);
// 404, 400 or 409 for the action's refusal.
http_response refused(const admin::action_error& e);

template <class T, class Fn>
http_response answer_of(const admin::action_result<T>& r, Fn to_json) {
  if (!r) return refused(r.error());
  return json_answer(200, to_json(*r));
}

// A decimal int64 path parameter or query value; the error answer names it.
std::variant<int64_t, http_response> integer_param(const std::string& name,
                                                   const std::string& text);

// A body field that must be a whole number (nullopt when absent or null).
std::variant<std::optional<int64_t>, http_response> integer_field(const api_call& c,
                                                                  const std::string& name);
std::variant<std::optional<std::string>, http_response> string_field(const api_call& c,
                                                                     const std::string& name);

}  // namespace vpnbot::api
