#include "app/sandbox/sandbox_world.hpp"

#include "app/sandbox/random_secret.hpp"

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
      cryptobot_(random_secret(4) + ":" + random_secret(), service_origin + pay_page_path) {}

}  // namespace vpnbot::sandbox
