#pragma once

// What supervisors say about their children.

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace vpnbot {

enum class child_state : uint8_t { starting, running, restarting, stopping, stopped };

inline std::string to_string(child_state s) {
  switch (s) {
    case child_state::starting:
      return "starting";
    case child_state::running:
      return "running";
    case child_state::restarting:
      return "restarting";
    case child_state::stopping:
      return "stopping";
    case child_state::stopped:
      return "stopped";
  }
  return "unknown";
}

struct child_status {
  std::string name;
  child_state state = child_state::starting;
  uint32_t restarts = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_status& x) {
  return f(caf::meta::type_name("child_status"), x.name, x.state, x.restarts);
}

// Readiness of a subtree: the paths ("root/storage/db-1") of every component
// that is not up, each with a short reason. Empty means ready.
struct readiness_report {
  std::vector<std::string> not_ready;
  bool ready() const { return not_ready.empty(); }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, readiness_report& x) {
  return f(caf::meta::type_name("readiness_report"), x.not_ready);
}

}  // namespace vpnbot
