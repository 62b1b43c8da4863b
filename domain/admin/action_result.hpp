#pragma once

// What an operator's action answers: its report, or why it did nothing.
// The refusals map one to one onto the API's 404, 400 and 409.

#include <optional>
#include <string>
#include <utility>

namespace vpnbot::admin {

enum class refusal {
  not_found,  // no such user, payment or event
  bad_input,  // a value out of range; `field` names it
  conflict,   // the state forbids it now (nothing to take time from, ...)
};

struct action_error {
  refusal kind = refusal::bad_input;
  std::string field;  // the input at fault, for bad_input
  std::string message;
};

inline action_error not_found(std::string message) {
  return {refusal::not_found, {}, std::move(message)};
}
inline action_error bad_input(std::string field, std::string message) {
  return {refusal::bad_input, std::move(field), std::move(message)};
}
inline action_error conflict(std::string message) {
  return {refusal::conflict, {}, std::move(message)};
}

template <class T>
class action_result {
 public:
  action_result(T value) : value_(std::move(value)) {}
  action_result(action_error error) : error_(std::move(error)) {}

  explicit operator bool() const { return value_.has_value(); }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return &*value_; }
  const action_error& error() const { return *error_; }

 private:
  std::optional<T> value_;
  std::optional<action_error> error_;
};

}  // namespace vpnbot::admin
