#include "app/sandbox/sandbox_world.hpp"

#include "app/sandbox/random_secret.hpp"
#include "app/sandbox/sandbox_users.hpp"

namespace vpnbot::sandbox {
namespace {

emulators::bot_api_emulator_options telegram_options() {
  emulators::bot_api_emulator_options o;
  o.token = std::to_string(o.bot_id) + ":" + random_secret();
  o.bot_username = "vpnbot_sandbox_bot";
  return o;
}

emulators::xui_emulator_options panel_options() {
  emulators::xui_emulator_options o;
  o.base_path = "/" + random_secret(8) + "/";
  o.password = random_secret();
  return o;
}

}  // namespace

sandbox_world::sandbox_world(const std::string& service_origin)
    : telegram_(telegram_options()),
      panel_(panel_options()),
      cryptobot_(random_secret(4) + ":" + random_secret(), service_origin + pay_page_path) {
  // So the bot (and its admin's "Find user") knows them by name and @username.
  for (const auto& u : sandbox_users())
    telegram_.name_user(u.id, u.first_name, u.username, u.language);
}

}  // namespace vpnbot::sandbox
