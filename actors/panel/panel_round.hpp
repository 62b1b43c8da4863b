#pragma once

// One pass over the configured panels, one panel at a time, at most one pass
// at once: what the reconciler and the traffic meter share. The actor asks
// for the next panel whenever it is done with the previous one.

#include <caf/actor.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vpnbot::activation {

class panel_round {
 public:
  using panels = std::map<std::string, std::shared_ptr<caf::actor>>;

  // Starts a pass over every panel; false while the previous one runs.
  bool begin(const panels& all);
  // The next panel of the pass with its running actor (nullopt: the pass is
  // over). Panels whose actor is not running are handed to `skipped`.
  std::optional<std::pair<std::string, caf::actor>> next(
      const panels& all, const std::function<void(const std::string&)>& skipped = {});
  // Ends the pass early.
  void abandon();

 private:
  std::vector<std::string> queue_;
  bool running_ = false;
};

}  // namespace vpnbot::activation
