// The [log] keys.

#include "config/log_level.hpp"
#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_log_keys(std::vector<key_spec>& k) {
  k.push_back({"log", "level", "debug, info, warn or error",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 auto l = parse_level(v);
                 if (!l) return "expected one of debug, info, warn, error";
                 s.log.level = *l;
                 return std::nullopt;
               },
               [](const settings& s) { return std::string(to_string(s.log.level)); }});
}

}  // namespace vpnbot::config
