// The [supervision] keys: restart intensity and backoff of every supervisor.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_supervision_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(uint_key("supervision", "max_restarts", "restarts allowed within the window",
                       &settings::supervision, &supervision_settings::max_restarts, 0, 1000));
  k.push_back(duration_key("supervision", "within", "window of the restart intensity",
                           &settings::supervision, &supervision_settings::within, 1ms));
  k.push_back(duration_key("supervision", "backoff_min", "first restart delay",
                           &settings::supervision, &supervision_settings::backoff_min, 0ms));
  k.push_back(duration_key("supervision", "backoff_max", "largest restart delay",
                           &settings::supervision, &supervision_settings::backoff_max, 0ms));
  k.push_back(duration_key("supervision", "backoff_reset",
                           "a child quiet this long starts its backoff afresh",
                           &settings::supervision, &supervision_settings::backoff_reset, 1ms));
  k.push_back(duration_key("supervision", "child_shutdown_timeout",
                           "time a child gets to stop before it is killed", &settings::supervision,
                           &supervision_settings::child_shutdown_timeout, 1ms));
}

}  // namespace vpnbot::config
