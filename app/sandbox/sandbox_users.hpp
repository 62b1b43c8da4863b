#pragma once

// The pretend Telegram users of the sandbox's web chat: each talks in its
// own language, and one of them is the bot's admin (bot.admin_ids).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vpnbot::sandbox {

struct sandbox_user {
  int64_t id = 0;
  std::string name;        // in the web chat's switcher
  std::string first_name;  // what its updates carry
  std::string username;
  std::string language;  // the language_code its messages carry
  bool admin = false;
};

const std::vector<sandbox_user>& sandbox_users();
std::optional<sandbox_user> find_sandbox_user(int64_t id);
std::vector<int64_t> sandbox_admin_ids();

}  // namespace vpnbot::sandbox
