#pragma once

// A value or a typed error. The Telegram layer returns its failures as values
// with a payload richer than caf::error can carry (retry_after, the offending
// update id, ...), so callers branch on data instead of catching exceptions.

#include <utility>
#include <variant>

namespace vpnbot::telegram {

template <class E>
struct failure {
  E error;
};

template <class E>
failure<std::decay_t<E>> fail(E&& e) {
  return {std::forward<E>(e)};
}

template <class T, class E>
class result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  template <class F>
  result(failure<F> f) : state_(std::in_place_index<1>, std::move(f.error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

}  // namespace vpnbot::telegram
