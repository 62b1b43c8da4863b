#include "app/sandbox/sandbox_mode.hpp"

#include <caf/local_actor.hpp>
#include <memory>
#include <string>

#include "adapters/log/logger.hpp"
#include "app/sandbox/free_port.hpp"
#include "app/sandbox/sandbox_actor.hpp"
#include "app/sandbox/sandbox_settings.hpp"
#include "app/service.hpp"
#include "app/shutdown_signals.hpp"

namespace vpnbot::sandbox {
namespace {

// How a browser on this machine reaches a listener on `host`.
std::string loopback_origin(const std::string& host, uint16_t port) {
  std::string h = host;
  if (h.empty() || h == "0.0.0.0") h = "127.0.0.1";
  if (h == "::") h = "::1";
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return "http://" + h + ":" + std::to_string(port);
}

}  // namespace

int run_sandbox(config::settings settings) {
  // The emulators' threads start here, before run_service's: they must
  // inherit the blocked stop signals too, or SIGTERM kills the process
  // instead of stopping it gracefully. run_service waits for the signals.
  app::shutdown_signals blocked_before_the_emulators;
  // Invoices link to the service's own page, so its port is fixed first.
  if (settings.http.listen_port == 0)
    settings.http.listen_port = free_port(settings.http.listen_host);
  auto origin = loopback_origin(settings.http.listen_host, settings.http.listen_port);
  auto world = std::make_shared<sandbox_world>(origin);
  auto s = sandbox_settings(std::move(settings), *world);
  log::warn("sandbox",
            "SANDBOX MODE: Telegram, the 3x-ui panel and CryptoBot are emulators in this "
            "process; nothing reaches a real user, panel or payment provider",
            {{"url", origin + "/sandbox"},
             {"telegram", world->telegram().api_base()},
             {"panel", world->panel().base_url()},
             {"cryptobot", world->cryptobot().api_base()},
             {"database_dir", s.database.embedded_dir}});
  app::service_extras extras;
  extras.mode = "sandbox";
  extras.children.push_back([world, port = s.http.listen_port](const components& wiring) {
    supervision::child_spec child;
    child.name = "sandbox";
    child.reports_readiness = true;
    child.start = [world, port, wiring](caf::local_actor* root_supervisor) {
      return spawn_sandbox_actor(root_supervisor->system(),
                                 {.world = world, .wiring = wiring, .service_port = port});
    };
    return child;
  });
  auto code = app::run_service(s, extras);
  log::warn("sandbox", "SANDBOX MODE ended", {{"exit_code", code}});
  return code;
}

}  // namespace vpnbot::sandbox
