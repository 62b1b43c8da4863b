#pragma once

// A whole text read as one decimal integer: no sign other than a leading
// '-', no spaces, nothing after the digits, and the value fits in T.

#include <charconv>
#include <optional>
#include <string_view>

namespace vpnbot::codec {

template <class T>
std::optional<T> decimal(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace vpnbot::codec
