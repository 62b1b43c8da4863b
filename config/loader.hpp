#pragma once

// Loads settings from an optional TOML file, then VPNBOT_<SECTION>_<KEY>
// environment variables, and validates every value against the schema.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "config/validator.hpp"

namespace vpnbot::config {

using env_map = std::map<std::string, std::string>;

// The VPNBOT_* variables of this process.
env_map process_environment();

struct load_result {
  settings value;
  std::vector<std::string> errors;    // each names the key and what is expected
  std::vector<std::string> warnings;  // e.g. unknown VPNBOT_* variables
  bool ok() const { return errors.empty(); }
};

// `validators` add the checks of higher floors to the schema's own: the
// process passes app::config_validators(), without them such values go
// unchecked.
load_result load(const std::optional<std::string>& file, const env_map& env,
                 const std::vector<validator>& validators = {});

// The effective configuration as TOML, secrets replaced by "***".
std::string describe(const settings& s);

// One line per key: name, environment variable, default and description.
std::string help_text();

}  // namespace vpnbot::config
