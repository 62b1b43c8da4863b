// The configuration loader: the input up to its first NUL byte is the TOML
// file, each NUL-separated piece after it one NAME=value environment entry
// (kept, like process_environment() keeps them, when NAME starts with
// VPNBOT_). The file is handed over as a path, as main() does, through an
// in-memory file. load() has no catch around it in main(): any exception
// escaping it is a finding.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/config_validators.hpp"
#include "config/loader.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;

namespace {

// A path whose content is `text`; one in-memory file, rewritten per input.
std::string config_file(std::string_view text) {
  static const int fd = memfd_create("vpnbot.toml", 0);
  fuzz::require(fd >= 0, "memfd_create");
  fuzz::require(ftruncate(fd, 0) == 0, "ftruncate");
  fuzz::require(pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()),
                "pwrite");
  return "/proc/self/fd/" + std::to_string(fd);
}

config::env_map environment(std::string_view rest) {
  config::env_map env;
  while (!rest.empty()) {
    auto end = rest.find('\0');
    auto entry = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos || !entry.starts_with("VPNBOT_")) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto split = input.find('\0');
  auto file = input.substr(0, split);
  auto env = environment(split == std::string_view::npos ? "" : input.substr(split + 1));
  static const auto validators = app::config_validators();
  auto loaded = config::load(config_file(file), env, validators);
  if (loaded.ok()) (void)config::describe(loaded.value);
  return 0;
}
