#include "adapters/telegram/set_my_commands.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vpnbot::telegram {

build_result build(const endpoint& ep, const set_my_commands& p) {
  if (p.commands.size() > 100) return fail(std::string("setMyCommands.commands: at most 100"));
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : p.commands) {
    bool valid = !c.command.empty() && c.command.size() <= 32 &&
                 std::all_of(c.command.begin(), c.command.end(), [](char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                 });
    if (!valid)
      return fail("setMyCommands.command \"" + c.command + "\" must be 1-32 of a-z, 0-9, _");
    auto length = telegram_length(c.description);
    if (!length || *length < 1 || *length > 256)
      return fail(std::string("setMyCommands.description must be 1-256 characters"));
    list.push_back({{"command", c.command}, {"description", c.description}});
  }
  nlohmann::json j = {{"commands", list}};
  if (p.language_code) j["language_code"] = *p.language_code;
  api_request r;
  r.base_url = ep.base_url();
  r.path = ep.path("setMyCommands");
  r.redacted_url = ep.redacted_url("setMyCommands");
  r.method = "setMyCommands";
  r.content_type = "application/json";
  r.body = j.dump();
  return r;
}

}  // namespace vpnbot::telegram
