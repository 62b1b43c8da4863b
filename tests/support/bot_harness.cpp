#include "support/bot_harness.hpp"

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>

#include "actors/http_server.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"
#include "support/eventually.hpp"

namespace vpnbot::testing_support {

using namespace emulators;

using namespace std::chrono_literals;

config::settings bot_test_settings(const std::string& database_url, const bot_api_emulator& emu) {
  config::settings s;
  s.database.url = database_url;
  s.http.listen_host = "127.0.0.1";
  s.http.listen_port = 0;
  s.telegram.token = emu.token();
  s.telegram.api_base = emu.api_base();
  s.telegram.poll_timeout = 1s;
  s.telegram.conflict_backoff = 200ms;
  s.telegram.global_rate = 1000;
  s.telegram.chat_rate = 100;
  s.telegram.chat_burst = 10;
  s.supervision.backoff_min = 10ms;
  s.supervision.backoff_max = 200ms;
  s.bot.support = "@vpn_support";
  return s;
}

bot_harness::bot_harness(config::settings settings,
                         std::function<std::chrono::system_clock::time_point()> clock)
    : settings_(std::move(settings)) {
  // The supervisors' start and stop lines would bury a failure's output.
  log::set_level(log::level::warn);
  auto resources = app::prepare_resources(settings_);
  if (!resources) throw std::runtime_error("prepare_resources: " + to_string(resources.error()));
  resources_ = std::move(*resources);
  cfg_ = std::make_unique<caf::actor_system_config>();
  register_message_types(*cfg_);
  cfg_->set("logger.verbosity", caf::atom("quiet"));
  sys_ = std::make_unique<caf::actor_system>(*cfg_);
  root_ = app::spawn_root(*sys_, settings_, resources_, wiring_, std::move(clock));
}

bot_harness::~bot_harness() {
  stop();
}

void bot_harness::stop() {
  if (!sys_) return;
  {
    caf::scoped_actor self{*sys_};
    self->monitor(root_);
    caf::anon_send_exit(root_, caf::exit_reason::user_shutdown);
    self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(30)) >> [] {});
  }
  root_ = nullptr;
  sys_.reset();
}

uint16_t bot_harness::http_port(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  caf::scoped_actor self{*sys_};
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto server = wiring_.http_server->get()) {
      uint16_t port = 0;
      self->send(server, http_port_atom_v);
      self->receive([&](uint16_t p) { port = p; }, caf::after(1s) >> [] {});
      if (port != 0) return port;
    }
    std::this_thread::sleep_for(20ms);
  }
  return 0;
}

std::string bot_harness::query(const std::string& sql) const {
  pqxx::connection conn(settings_.database.url);
  pqxx::work tx(conn);
  auto r = tx.exec(sql);
  tx.commit();
  if (r.empty() || r[0][0].is_null()) return {};
  return r[0][0].as<std::string>();
}

nlohmann::json keyboard_of(const nlohmann::json& params) {
  if (!params.contains("reply_markup")) return nlohmann::json::array();
  auto markup = params["reply_markup"];
  if (markup.is_string()) markup = nlohmann::json::parse(markup.get<std::string>());
  return markup.value("inline_keyboard", nlohmann::json::array());
}

std::string buttons_of(const nlohmann::json& params) {
  std::string out;
  for (const auto& row : keyboard_of(params)) {
    if (!out.empty()) out += "/";
    bool first = true;
    for (const auto& b : row) {
      if (!first) out += "|";
      first = false;
      out += b.value("text", "");
    }
  }
  return out;
}

std::string callback_of(const nlohmann::json& params, const std::string& label) {
  for (const auto& row : keyboard_of(params))
    for (const auto& b : row)
      if (b.value("text", "").find(label) != std::string::npos) return b.value("callback_data", "");
  return {};
}

nlohmann::json nth_call(const emulators::bot_api_emulator& emu, const std::string& method,
                        std::size_t n) {
  EXPECT_TRUE(emu.wait_for_calls(method, n, std::chrono::seconds(15)))
      << "no call " << n << " of " << method;
  auto calls = emu.calls(method);
  return calls.size() >= n ? calls[n - 1].params : nlohmann::json::object();
}

nlohmann::json call_offering(const emulators::bot_api_emulator& emu, const std::string& method,
                             std::size_t after, const std::string& label) {
  auto found = nlohmann::json::object();
  EXPECT_TRUE(eventually(
      [&] {
        auto calls = emu.calls(method);
        for (auto i = after; i < calls.size(); ++i)
          if (!callback_of(calls[i].params, label).empty()) {
            found = calls[i].params;
            return true;
          }
        return false;
      },
      std::chrono::seconds(15)))
      << "no " << method << " offering " << label;
  return found;
}

}  // namespace vpnbot::testing_support
