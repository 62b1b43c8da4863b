#include "app/service.hpp"

#include <atomic>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/cluster/cluster_board.hpp"
#include "adapters/log/logger.hpp"
#include "app/root_tree.hpp"
#include "app/service_metrics.hpp"
#include "app/shutdown_signals.hpp"
#include "app/stop_deadline.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::app {

caf::error await_exit(caf::actor_system& sys, const caf::actor& root) {
  caf::scoped_actor self{sys};
  self->monitor(root);
  caf::error reason;
  self->receive([&](caf::down_msg& down) { reason = std::move(down.reason); });
  return reason;
}

int exit_code_for(const caf::error& reason, bool stop_requested) {
  bool clean =
      !reason || reason == caf::exit_reason::normal || reason == caf::exit_reason::user_shutdown;
  return clean && stop_requested ? 0 : 1;
}

int run_service(const config::settings& settings, const service_extras& extras) {
  // Before any thread exists, so that every thread inherits the blocked mask.
  shutdown_signals signals;
  stop_deadline deadline;
  declare_service_metrics(metrics::global(), VPNBOT_VERSION, settings.service.node_name);
  log::info("service", "starting",
            {{"version", VPNBOT_VERSION}, {"node", settings.service.node_name}});

  if (settings.telegram.token.empty())
    log::warn("service",
              "no Telegram bot token: the bot is not connected to Telegram. Set "
              "VPNBOT_TELEGRAM_TOKEN (or telegram.token in the config file) to the token "
              "@BotFather gave you");
  auto resources = prepare_resources(settings);
  if (!resources) {
    log::error("service", "cannot start", {{"reason", caf::to_string(resources.error())}});
    return 1;
  }

  caf::actor_system_config cfg;
  register_message_types(cfg);
  // The nodes of a cluster talk over CAF's middleman (BASP over TCP).
  if (settings.cluster.enabled()) cfg.load<caf::io::middleman>();
  if (settings.service.scheduler_threads > 0)
    cfg.set("scheduler.max-threads", static_cast<size_t>(settings.service.scheduler_threads));
  cfg.set("logger.verbosity", caf::atom("quiet"));
  cfg.set("scheduler.policy", settings.service.scheduler_policy == "stealing"
                                  ? caf::atom("stealing")
                                  : caf::atom("sharing"));
  int code = 1;
  {
    caf::actor_system sys{cfg};
    components wiring;
    if (settings.cluster.enabled()) {
      wiring.fence = std::make_shared<cluster::leader_fence>(settings.service.node_name);
      wiring.board = std::make_shared<cluster::cluster_board>();
    }
    auto root = spawn_root(sys, settings, *resources, wiring, {}, extras);
    std::atomic<bool> stop_requested{false};
    signals.start([&](const char* name) {
      log::info("service", "stop requested", {{"signal", name}});
      stop_requested = true;
      deadline.arm(settings.service.shutdown_timeout);
      caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
    });
    auto reason = await_exit(sys, root);
    code = exit_code_for(reason, stop_requested);
    if (code == 0)
      log::info("service", "stopped");
    else
      log::error("service", "root supervisor failed", {{"reason", caf::to_string(reason)}});
    // Whatever is left (detached actors finishing) gets the same bound.
    deadline.arm(settings.service.shutdown_timeout);
  }
  release_resources(*resources);
  return code;
}

}  // namespace vpnbot::app
