#pragma once

// The outside world of `vpnbot --sandbox`, started in the process on
// loopback ports: the Telegram Bot API, one 3x-ui panel and CryptoBot as
// the payment provider, each with credentials made up at start. The
// service talks to them exactly as to the real ones.

#include <string>

#include "adapters/emulators/payments/cryptobot_emulator.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"

namespace vpnbot::sandbox {

// The path of the sandbox's invoice page, below the service's origin; the
// invoice's id follows.
inline constexpr const char* pay_page_path = "/sandbox/pay?payment=";

class sandbox_world {
 public:
  // `service_origin`: "http://127.0.0.1:8080", where the service's HTTP
  // server is reached; invoices link to its invoice page.
  explicit sandbox_world(const std::string& service_origin);

  emulators::bot_api_emulator& telegram() { return telegram_; }
  emulators::xui_emulator& panel() { return panel_; }
  emulators::cryptobot_emulator& cryptobot() { return cryptobot_; }
  const emulators::bot_api_emulator& telegram() const { return telegram_; }
  const emulators::xui_emulator& panel() const { return panel_; }
  const emulators::cryptobot_emulator& cryptobot() const { return cryptobot_; }

 private:
  emulators::bot_api_emulator telegram_;
  emulators::xui_emulator panel_;
  emulators::cryptobot_emulator cryptobot_;
};

}  // namespace vpnbot::sandbox
