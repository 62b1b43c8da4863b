#pragma once

// Everything the binary talks to in a chaos run: the Bot API, the 3x-ui
// panel and the payment providers as emulators, the run's own database, and
// the observer of what the bot said. A new provider is one more emulator
// here, its settings in service_environment and its route in
// payment_routes.cpp.

#include <filesystem>
#include <map>
#include <string>

#include "adapters/emulators/payments/coingate_emulator.hpp"
#include "adapters/emulators/payments/cryptobot_emulator.hpp"
#include "adapters/emulators/payments/robokassa_payer.hpp"
#include "adapters/emulators/payments/yookassa_emulator.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "chaos/chaos_database.hpp"
#include "chaos/telegram_observer.hpp"

namespace vpnbot::chaos {

struct chaos_world {
  emulators::bot_api_emulator telegram;
  emulators::xui_emulator panel;
  emulators::cryptobot_emulator cryptobot;
  emulators::yookassa_emulator yookassa;
  emulators::robokassa_payer robokassa{"vpnshop", "pass-one", "pass-two", "sha256"};
  emulators::coingate_emulator coingate;
  chaos_database db;
  telegram_observer observer{telegram};
};

// The binary's environment: the emulators, the database, timings short
// enough that a run settles in seconds (the watcher asks about invoices
// after 2 s, a failed activation job is retried after 1 s doubling, a job
// held by a killed process is free again after 5 s).
std::map<std::string, std::string> service_environment(const chaos_world& w);

// Every provider API the service calls answers a bare 503 (down = true),
// or serves again.
void set_provider_apis_down(chaos_world& w, bool down);

// The TOML file with the panel (panels are named in a file only); returns its path.
std::string write_panel_config(const chaos_world& w, const std::filesystem::path& dir);

}  // namespace vpnbot::chaos
