#pragma once

// What a supervisor needs to know to run one child: how to start it, when to
// restart it, how long it may take to stop, and whether it can be asked about
// its own readiness.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/timespan.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace vpnbot::supervision {

enum class restart_type : uint8_t {
  permanent,  // restarted whenever it exits
  transient,  // restarted only after an abnormal exit (not normal, not user_shutdown)
  temporary,  // never restarted
};

inline const char* to_string(restart_type t) {
  switch (t) {
    case restart_type::permanent:
      return "permanent";
    case restart_type::transient:
      return "transient";
    case restart_type::temporary:
      return "temporary";
  }
  return "unknown";
}

// Spawns one incarnation of the child from inside the supervisor's handler
// (detached actors and nested supervisors included) and returns its handle.
// The supervisor monitors it; the factory must not link it to the supervisor
// (a linked child that gets killed would kill the supervisor with it). An
// invalid handle or an exception counts as a failed start, retried like a
// crash.
using child_factory = std::function<caf::actor(caf::local_actor* supervisor)>;

struct child_spec {
  std::string name;
  child_factory start;
  restart_type restart = restart_type::permanent;
  // Time between the polite exit (user_shutdown) and the kill; nullopt takes
  // the supervisor's `child_shutdown_timeout`.
  std::optional<caf::timespan> shutdown_timeout;
  // A nested supervisor: readiness and children queries are forwarded to it.
  bool is_supervisor = false;
  // A worker that answers `readiness_atom` with a `readiness_report` of its
  // own (an open circuit breaker, ...), merged into the supervisor's report.
  bool reports_readiness = false;
};

}  // namespace vpnbot::supervision
