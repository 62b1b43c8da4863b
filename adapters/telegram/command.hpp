#pragma once

// Bot commands in message text: "/start", "/start@my_bot payload". A deep
// link t.me/<bot>?start=<payload> arrives as "/start <payload>"; the bot uses
// the payload as a referral code.

#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::telegram {

struct command {
  std::string name;  // lower case, without '/' and "@bot"
  std::string args;  // the rest of the text, trimmed
};

// nullopt when the text is no command, or a command addressed to another bot
// (bot_username given, without '@', compared case-insensitively).
std::optional<command> parse_command(std::string_view text, std::string_view bot_username = {});

// A deep-link payload as Telegram allows it: 1-64 of [A-Za-z0-9_-].
std::optional<std::string> start_payload(std::string_view args);

}  // namespace vpnbot::telegram
