// vpnbot's entry point: command line, configuration, then the service.

#include <iostream>
#include <optional>
#include <string>

#include "adapters/log/logger.hpp"
#include "app/config_digest.hpp"
#include "app/config_validators.hpp"
#include "app/sandbox/sandbox_mode.hpp"
#include "app/service.hpp"
#include "config/loader.hpp"

namespace {

struct command_line {
  std::optional<std::string> config_file;
  bool help = false;
  bool version = false;
  bool check_config = false;
  bool sandbox = false;
  std::optional<std::string> error;
};

command_line parse(int argc, char** argv) {
  command_line c;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      c.help = true;
    } else if (arg == "--version") {
      c.version = true;
    } else if (arg == "--check-config") {
      c.check_config = true;
    } else if (arg == "--sandbox") {
      c.sandbox = true;
    } else if (arg == "--config" && i + 1 < argc) {
      c.config_file = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      c.config_file = arg.substr(9);
    } else {
      c.error = "unknown argument '" + arg + "' (see vpnbot --help)";
    }
  }
  return c;
}

void print_help() {
  std::cout
      << "vpnbot " VPNBOT_VERSION
         " - sells and runs VPN subscriptions through a Telegram bot\n\n"
         "usage: vpnbot [--config FILE] [--check-config] [--sandbox] [--help] [--version]\n\n"
         "  --config FILE   TOML configuration (see config/vpnbot.example.toml)\n"
         "  --check-config  validate the configuration, print it with secrets masked and its\n"
         "                  digest (also in GET /readyz), exit\n"
         "  --sandbox       run against emulators of Telegram, a 3x-ui panel and CryptoBot\n"
         "                  started in this process, with a web chat at\n"
         "                  http://<http.listen>/sandbox and a database of its own under\n"
         "                  <service.data_dir>/sandbox (docs/SANDBOX.md)\n"
         "  --help          this text\n"
         "  --version       print the version\n\n"
         "Every key can be set in the environment as VPNBOT_<SECTION>_<KEY>, which wins\n"
         "over the file. Keys:\n\n"
      << vpnbot::config::help_text();
}

}  // namespace

int main(int argc, char** argv) {
  auto cli = parse(argc, argv);
  if (cli.error) {
    std::cerr << "vpnbot: " << *cli.error << "\n";
    return 2;
  }
  if (cli.help) {
    print_help();
    return 0;
  }
  if (cli.version) {
    std::cout << "vpnbot " VPNBOT_VERSION "\n";
    return 0;
  }
  auto loaded = vpnbot::config::load(cli.config_file, vpnbot::config::process_environment(),
                                     vpnbot::app::config_validators());
  for (const auto& e : loaded.errors) std::cerr << "vpnbot: configuration error: " << e << "\n";
  if (!loaded.ok()) return 2;
  if (cli.check_config) {
    for (const auto& w : loaded.warnings) std::cerr << "vpnbot: warning: " << w << "\n";
    std::cout << vpnbot::config::describe(loaded.value);
    // GET /readyz reports the running process's digest (app/config_digest.hpp).
    std::cout << "\n# config_digest " << vpnbot::app::config_digest(loaded.value) << "\n";
    return 0;
  }
  vpnbot::log::set_level(loaded.value.log.level);
  for (const auto& w : loaded.warnings) vpnbot::log::warn("config", w);
  if (cli.sandbox) return vpnbot::sandbox::run_sandbox(loaded.value);
  return vpnbot::app::run_service(loaded.value);
}
