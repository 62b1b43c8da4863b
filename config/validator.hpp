#pragma once

// A check of one key's value that only a higher floor can make (a hash
// algorithm's name, a TOTP secret, a panel's URL or version are the
// adapters' to judge). app/ hands them to load(), which reports a refusal
// like any other bad value of that key.

#include <functional>
#include <optional>
#include <string>

namespace vpnbot::config {

struct validator {
  // "section.key", or "panels[].key" for that key of every [[panels]] entry.
  std::string key;
  // The error text ("expected ..."), or nothing when the value is fine.
  std::function<std::optional<std::string>(const std::string& value)> check;
};

}  // namespace vpnbot::config
