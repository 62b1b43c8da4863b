#pragma once

// The whole service in the test process (root tree: storage, Telegram,
// HTTP server) against a fresh database and the Bot API emulator, with rates
// fast enough for tests. Stops gracefully when destroyed.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "app/root_tree.hpp"
#include "config/settings.hpp"

namespace vpnbot::testing_support {

config::settings bot_test_settings(const std::string& database_url,
                                   const emulators::bot_api_emulator& emu);

class bot_harness {
 public:
  // clock: the workers' clock (moved by the test); empty: the system clock.
  explicit bot_harness(config::settings settings,
                       std::function<std::chrono::system_clock::time_point()> clock = {});
  ~bot_harness();
  bot_harness(const bot_harness&) = delete;
  bot_harness& operator=(const bot_harness&) = delete;

  caf::actor_system& system() { return *sys_; }
  // The running pool, outbox, sessions and HTTP server.
  const components& wiring() const { return wiring_; }
  const config::settings& settings() const { return settings_; }
  // The HTTP server's port once it listens (0 on timeout).
  uint16_t http_port(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Runs SQL on the service's database (committed); the first column of the first row.
  std::string query(const std::string& sql) const;
  void stop();

 private:
  config::settings settings_;
  app::service_resources resources_;
  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  components wiring_;
  caf::actor root_;
};

// reply_markup's inline_keyboard (rows of buttons), empty when there is none.
nlohmann::json keyboard_of(const nlohmann::json& params);
// The text of reply_markup's buttons, row by row ("a|b/c").
std::string buttons_of(const nlohmann::json& params);
// The callback_data of the button whose text contains `label`.
std::string callback_of(const nlohmann::json& params, const std::string& label);

// The params of the n-th (1-based) call of `method`, waiting up to 15 s
// for it (a test failure and {} when it never came).
nlohmann::json nth_call(const emulators::bot_api_emulator& emu, const std::string& method,
                        std::size_t n);
// The first `method` call after the first `after` ones that offers a button
// `label` (the key or receipt of an earlier order may come between),
// waiting up to 15 s.
nlohmann::json call_offering(const emulators::bot_api_emulator& emu, const std::string& method,
                             std::size_t after, const std::string& label);

}  // namespace vpnbot::testing_support
