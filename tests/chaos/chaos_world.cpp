#include "chaos/chaos_world.hpp"

#include <fstream>

namespace vpnbot::chaos {

std::map<std::string, std::string> service_environment(const chaos_world& w) {
  return {{"VPNBOT_DATABASE_URL", w.db.url()},
          {"VPNBOT_LOG_LEVEL", "warn"},
          {"VPNBOT_TELEGRAM_TOKEN", w.telegram.token()},
          {"VPNBOT_TELEGRAM_API_BASE", w.telegram.api_base()},
          {"VPNBOT_TELEGRAM_POLL_TIMEOUT", "1s"},
          {"VPNBOT_TELEGRAM_CONFLICT_BACKOFF", "200ms"},
          {"VPNBOT_TELEGRAM_UNLIMITED_RATES", "true"},
          {"VPNBOT_SUPERVISION_BACKOFF_MIN", "20ms"},
          {"VPNBOT_SUPERVISION_BACKOFF_MAX", "500ms"},
          {"VPNBOT_CRYPTOBOT_API_BASE", w.cryptobot.api_base()},
          {"VPNBOT_CRYPTOBOT_TOKEN", w.cryptobot.token()},
          {"VPNBOT_CRYPTOBOT_ASSETS", "USDT,TON"},
          {"VPNBOT_YOOKASSA_API_BASE", w.yookassa.api_base()},
          {"VPNBOT_YOOKASSA_SHOP_ID", w.yookassa.shop_id()},
          {"VPNBOT_YOOKASSA_SECRET_KEY", w.yookassa.secret_key()},
          {"VPNBOT_YOOKASSA_CHECK_SOURCE_IP", "false"},  // the driver posts from 127.0.0.1
          {"VPNBOT_ROBOKASSA_MERCHANT_LOGIN", "vpnshop"},
          {"VPNBOT_ROBOKASSA_PASSWORD1", "pass-one"},
          {"VPNBOT_ROBOKASSA_PASSWORD2", "pass-two"},
          {"VPNBOT_ROBOKASSA_ALGORITHM", "sha256"},
          {"VPNBOT_COINGATE_API_BASE", w.coingate.api_base()},
          {"VPNBOT_COINGATE_AUTH_TOKEN", w.coingate.auth_token()},
          {"VPNBOT_COINGATE_CALLBACK_SECRET", "chaos-callback-secret"},
          {"VPNBOT_COINGATE_PUBLIC_URL", "https://vpn.example.com"},
          {"VPNBOT_PAYMENTS_ISSUE_INTERVAL", "100ms"},
          {"VPNBOT_PAYMENTS_WATCH_INTERVAL", "500ms"},
          {"VPNBOT_PAYMENTS_WATCH_AFTER", "2s"},
          {"VPNBOT_PAYMENTS_CALL_TIMEOUT", "3s"},
          {"VPNBOT_PAYMENTS_REPLAY_INTERVAL", "1s"}};
}

void set_provider_apis_down(chaos_world& w, bool down) {
  for (auto* server : {&w.cryptobot.server(), &w.yookassa.server(), &w.coingate.server()}) {
    if (down)
      server->inject(emulators::fake_fault::respond_with(503), -1);
    else
      server->clear_faults();
  }
}

std::string write_panel_config(const chaos_world& w, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto path = (dir / "vpnbot.toml").string();
  std::ofstream f(path);
  f << "[panel_defaults]\n"
    << "connect_timeout = \"1s\"\ncall_timeout = \"3s\"\n"
    << "retry_backoff_max = \"500ms\"\nbreaker_open_for = \"2s\"\n"
    << "job_retry_min = \"1s\"\njob_max_attempts = 12\njob_lease = \"5s\"\n"
    << "job_scan_interval = \"200ms\"\n"
    << "[[panels]]\nname = \"main\"\nbase_url = \"" << w.panel.base_url() << "\"\n"
    << "username = \"" << w.panel.options().username << "\"\n"
    << "password = \"" << w.panel.options().password << "\"\n"
    << "version = \"" << w.panel.options().version << "\"\n"
    << "inbound_id = " << w.panel.options().inbound_id << "\n"
    << "public_host = \"vpn.example.com\"\n";
  return path;
}

}  // namespace vpnbot::chaos
