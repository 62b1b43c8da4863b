#include "app/root_tree.hpp"

#include <caf/local_actor.hpp>

#include "actors/api/admin_api.hpp"
#include "actors/cluster/cluster_supervisor.hpp"
#include "actors/cluster/leader_gate.hpp"
#include "actors/http_server.hpp"
#include "actors/panel/panel_supervisor.hpp"
#include "actors/payments/payment_supervisor.hpp"
#include "actors/storage/storage_supervisor.hpp"
#include "actors/supervisor.hpp"
#include "actors/telegram/telegram_supervisor.hpp"
#include "actors/workers/worker_supervisor.hpp"
#include "adapters/db/migrations.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/payments/provider_list.hpp"
#include "app/config_digest.hpp"
#include "app/plan_seeding.hpp"
#include "domain/bot/bot_commands.hpp"

namespace vpnbot::app {

caf::expected<service_resources> prepare_resources(const config::settings& settings) {
  service_resources r;
  r.database_url = settings.database.url;
  if (r.database_url.empty()) {
    db::embedded_postgres_options opts;
    opts.data_dir = settings.database.embedded_dir;
    opts.bin_dir = settings.database.embedded_bin_dir;
    opts.run_as_user = settings.database.embedded_user;
    auto pg = db::embedded_postgres::start(opts);
    if (!pg) return pg.error();
    r.database_url = (*pg)->url();
    r.embedded = std::move(*pg);
  }
  auto applied = db::migrate(r.database_url);
  if (!applied) return applied.error();
  log::info("service", "database schema is current", {{"applied_now", applied->size()}});
  try {
    pqxx::connection conn(r.database_url);
    pqxx::work tx(conn);
    seed_plans(tx, settings.bot.plans);
    seed_panels(tx, settings.panels);
    // The outbox sends what is queued when it starts.
    if (!settings.telegram.token.empty())
      telegram::queue_bot_commands(tx, telegram::texts::builtin());
    tx.commit();
  } catch (const std::exception& e) {
    return caf::make_error(caf::sec::runtime_error, std::string("seeding plans: ") + e.what());
  }
  log::info("service", "plans on sale", {{"count", settings.bot.plans.size()}});
  return r;
}

void release_resources(service_resources& resources) {
  if (resources.embedded) resources.embedded->stop();
}

caf::actor spawn_root(caf::actor_system& sys, const config::settings& settings,
                      const service_resources& resources, const components& wiring,
                      std::function<std::chrono::system_clock::time_point()> clock,
                      const service_extras& extras) {
  supervision::supervisor_spec root;
  root.name = "root";
  root.limits = settings.supervision;
  root.children.push_back(storage::storage_child(settings, resources.database_url, wiring));
  // Before every gate (leader_gate.hpp), which find it in wiring.leader.
  if (wiring.fence) root.children.push_back(cluster::cluster_child(settings, wiring));
  root.children.push_back(cluster::leader_only(clock
                                                   ? workers::worker_child(settings, wiring, clock)
                                                   : workers::worker_child(settings, wiring),
                                               wiring));
  if (!settings.panels.empty())
    root.children.push_back(activation::panels_child(settings, resources.database_url, wiring,
                                                     metrics::global(), clock));
  if (!payments::providers_from(settings).empty())
    root.children.push_back(payments::payments_child(settings, resources.database_url, wiring));
  // Without a token service.cpp has told the operator what to set.
  if (!settings.telegram.token.empty()) {
    if (auto profile = telegram::profile_from(settings))
      root.children.push_back(telegram::telegram_child(settings, std::move(*profile), wiring));
    else
      log::error("service", "the bot is off: " + to_string(profile.error()));
  }
  // Off without a token: nothing serves /api/v1/*, so the server answers 404.
  if (settings.api.enabled()) {
    supervision::child_spec api;
    api.name = "api";
    api.start = [api_settings = settings.api, wiring](caf::local_actor* root_supervisor) {
      return api::spawn_admin_api(root_supervisor->system(),
                                  api::admin_api_config{.api = api_settings, .wiring = wiring});
    };
    root.children.push_back(std::move(api));
  }
  for (const auto& make : extras.children) root.children.push_back(make(wiring));
  // Last, so it accepts requests only once the subsystems behind it exist,
  // and stops first on shutdown.
  supervision::child_spec http;
  http.name = "http_server";
  http.start = [http_settings = settings.http, digest = config_digest(settings), mode = extras.mode,
                wiring](caf::local_actor* root_supervisor) {
    http_server_config cfg;
    cfg.http = http_settings;
    cfg.config_digest = digest;
    cfg.mode = mode;
    cfg.slot = wiring.http_server;
    cfg.readiness = caf::actor_cast<caf::actor>(root_supervisor);
    cfg.cluster = wiring.board;
    return spawn_http_server(root_supervisor->system(), cfg);
  };
  root.children.push_back(std::move(http));
  return supervision::spawn_supervisor(sys, std::move(root));
}

}  // namespace vpnbot::app
