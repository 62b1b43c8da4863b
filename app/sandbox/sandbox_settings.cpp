#include "app/sandbox/sandbox_settings.hpp"

#include "app/sandbox/sandbox_users.hpp"

namespace vpnbot::sandbox {

config::settings sandbox_settings(config::settings s, const sandbox_world& world) {
  s.telegram.token = world.telegram().token();
  s.telegram.api_base = world.telegram().api_base();
  s.telegram.mode = "polling";
  s.telegram.webhook_url.clear();
  s.telegram.webhook_secret.clear();
  s.telegram.unlimited_rates = true;
  s.bot.admin_ids = sandbox_admin_ids();
  s.bot.payment_methods = {"cryptobot"};

  auto panel = emulators::panel_settings_for(world.panel(), "sandbox");
  panel.connect_timeout = s.panel_defaults.connect_timeout;
  panel.call_timeout = s.panel_defaults.call_timeout;
  s.panels = {panel};

  s.cryptobot = config::cryptobot_settings{};
  s.cryptobot.api_base = world.cryptobot().api_base();
  s.cryptobot.token = world.cryptobot().token();
  s.yookassa = config::yookassa_settings{};
  s.robokassa = config::robokassa_settings{};
  s.coingate = config::coingate_settings{};
  // The emulator is local and the page's Fail button expires an invoice at
  // once: asking it every two seconds shows the outcome in the chat then,
  // not a minute later.
  s.payments.watch_after = std::chrono::seconds(0);
  s.payments.watch_interval = std::chrono::seconds(2);

  s.database.url.clear();
  s.database.embedded_dir = s.service.data_dir + "/sandbox/pg";
  return s;
}

}  // namespace vpnbot::sandbox
