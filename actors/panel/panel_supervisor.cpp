#include "actors/panel/panel_supervisor.hpp"

#include <caf/local_actor.hpp>

#include "actors/cluster/leader_gate.hpp"
#include "actors/http_client.hpp"
#include "actors/panel/activation_worker.hpp"
#include "actors/panel/job_listener.hpp"
#include "actors/panel/panel_actor.hpp"
#include "actors/panel/reconciler.hpp"
#include "actors/panel/traffic_meter.hpp"

namespace vpnbot::activation {

supervision::child_spec panels_child(const config::settings& settings, std::string database_url,
                                     const components& wiring, metrics::registry& registry,
                                     std::function<std::chrono::system_clock::time_point()> clock) {
  supervision::supervisor_spec spec;
  spec.name = "panels";
  spec.restart_strategy = supervision::strategy::rest_for_one;
  spec.limits = settings.supervision;
  auto http = make_slot<http_client_actor>();
  spec.children.push_back(http_client_child(settings.http_client, http, registry));

  activation_worker_config worker;
  worker.owner = settings.service.node_name;
  worker.panel_settings = settings.panels;
  worker.default_panel = settings.panels.empty() ? "" : settings.panels.front().name;
  worker.registry = &registry;
  worker.wiring = wiring;
  worker.interval = std::chrono::duration_cast<std::chrono::milliseconds>(
      settings.panel_defaults.job_scan_interval);
  worker.retry_min = settings.panel_defaults.job_retry_min;
  worker.lease_for =
      std::max(std::chrono::seconds(1),
               std::chrono::duration_cast<std::chrono::seconds>(settings.panel_defaults.job_lease));
  worker.circuit_retry = std::chrono::duration_cast<std::chrono::milliseconds>(
      settings.panel_defaults.breaker_open_for);
  worker.max_attempts = static_cast<int>(settings.panel_defaults.job_max_attempts);
  for (const auto& p : settings.panels) {
    auto handle = make_slot<panel_actor>();
    worker.panels[p.name] = handle;
    supervision::child_spec c;
    c.name = "panel-" + p.name;
    c.reports_readiness = true;
    c.start = [handle, http, p, limits = settings.panel_defaults,
               &registry](caf::local_actor* sup) {
      panel_actor_config cfg{p, limits, http->get(), std::nullopt};
      auto panel = spawn_panel_actor(sup->system(), cfg, registry);
      handle->set(panel);
      return caf::actor_cast<caf::actor>(panel);
    };
    spec.children.push_back(std::move(c));
  }
  supervision::child_spec act;
  act.name = "activation";
  act.start = [worker](caf::local_actor* sup) {
    return spawn_activation_worker(sup->system(), worker);
  };
  spec.children.push_back(std::move(act));

  reconciler_config rec;
  rec.panels = worker.panels;
  rec.interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.workers.reconcile_interval);
  rec.grace = std::chrono::duration_cast<std::chrono::seconds>(settings.workers.reconcile_grace);
  rec.dry_run = settings.workers.reconcile_dry_run;
  rec.lease_owner = settings.service.node_name;
  rec.registry = &registry;
  rec.wiring = wiring;
  if (clock) rec.clock = std::move(clock);
  supervision::child_spec reconciler;
  reconciler.name = "reconciler";
  reconciler.start = [rec](caf::local_actor* sup) { return spawn_reconciler(sup->system(), rec); };
  spec.children.push_back(cluster::leader_only(std::move(reconciler), wiring));

  traffic_meter_config meter;
  meter.panels = worker.panels;
  meter.interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.workers.traffic_interval);
  meter.registry = &registry;
  meter.wiring = wiring;
  supervision::child_spec traffic;
  traffic.name = "traffic_meter";
  traffic.start = [meter](caf::local_actor* sup) {
    return spawn_traffic_meter(sup->system(), meter);
  };
  spec.children.push_back(cluster::leader_only(std::move(traffic), wiring));

  // Last: a restart of the listener touches nothing else.
  supervision::child_spec listener;
  listener.name = "job_listener";
  listener.start = [database_url, activation = worker.published_as](caf::local_actor* sup) {
    return spawn_job_listener(sup->system(), {database_url, activation});
  };
  spec.children.push_back(std::move(listener));
  return supervision::supervisor_child(std::move(spec), registry);
}

}  // namespace vpnbot::activation
