#pragma once

// setMyCommands: the command list Telegram shows in a chat's menu, per
// language. Its own file beside bot_api.hpp, whose build() overloads it
// joins: the outbox writer encodes it like any other call.

#include <optional>
#include <string>
#include <vector>

#include "adapters/telegram/bot_api.hpp"

namespace vpnbot::telegram {

struct bot_command {
  std::string command{};      // 1-32 of a-z, 0-9, _
  std::string description{};  // 1-256 characters
};

// For users whose Telegram speaks language_code (none: everyone else).
struct set_my_commands {
  std::vector<bot_command> commands{};  // at most 100
  std::optional<std::string> language_code{};
};

build_result build(const endpoint& ep, const set_my_commands& p);

}  // namespace vpnbot::telegram
