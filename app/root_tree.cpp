#include "app/root_tree.hpp"

#include "actors/supervisor.hpp"

namespace vpnbot::app {

caf::expected<service_resources> prepare_resources(const config::settings& settings) {
  return service_resources{settings.database.url};
}

void release_resources(service_resources&) {}

caf::actor spawn_root(caf::actor_system& sys, const config::settings& settings,
                      const service_resources&) {
  supervision::supervisor_spec root;
  root.name = "root";
  root.limits = settings.supervision;
  return supervision::spawn_supervisor(sys, std::move(root));
}

}  // namespace vpnbot::app
