#include "actors/panel/traffic_meter.hpp"

#include <caf/all.hpp>
#include <vector>

#include "actors/panel/panel_metrics.hpp"
#include "actors/panel/panel_pass.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/log/logger.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "domain/subscriptions/traffic_readings.hpp"
#include "messages/panel.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

constexpr const char* traffic_meter_component = "traffic";

void store(caf::event_based_actor* self, const components& wiring,
           const std::shared_ptr<const panel_metrics>& m, const std::string& name,
           std::vector<db::traffic_reading> readings, pass_step step) {
  storage::db_request<int64_t>(
      self, wiring.db, "traffic.record",
      [name, readings = std::move(readings), fence = wiring.fence](pqxx::dbtransaction& tx) {
        // On a cluster only the leader records (a woken old leader: nothing).
        if (fence && !fence->holds(tx)) return int64_t{0};
        return db::record_traffic(tx, name, readings);
      },
      std::chrono::seconds(30),
      [m, name, step](caf::expected<int64_t> n) {
        // The pool is between restarts: not this actor's failure.
        if (!n && n.error() == db::db_errc::unavailable) return step.abandon();
        if (!n) {
          log::error(traffic_meter_component, "could not store traffic readings",
                     {{"error", to_string(n.error())}});
          return step.fail(n.error());
        }
        m->traffic_readings.with({name, "ok"}).inc();
        step.next();
      });
}

}  // namespace

caf::actor spawn_traffic_meter(caf::actor_system& sys, traffic_meter_config cfg) {
  auto m = std::make_shared<const panel_metrics>(*cfg.registry);
  panel_pass_config pass;
  pass.kind = "traffic_meter";
  pass.panels = std::move(cfg.panels);
  pass.interval = cfg.interval;
  pass.registry = cfg.registry;
  pass.visit = [m, wiring = cfg.wiring, timeout = cfg.call_timeout](
                   caf::event_based_actor* self, const std::string& name, const panel_actor& panel,
                   pass_step step) {
    self->request(panel, timeout, panel_get_inbound{})
        .then(
            [self, wiring, m, name, step](panel::xui_inbound& in) {
              store(self, wiring, m, name, traffic_readings(in), step);
            },
            [m, name, step](caf::error& e) {
              m->traffic_readings.with({name, "panel_failed"}).inc();
              log::warn(traffic_meter_component,
                        "the panel's traffic could not be read; next round",
                        {{"panel", name}, {"error", to_string(e)}});
              step.next();
            });
  };
  return spawn_panel_pass(sys, std::move(pass));
}

}  // namespace vpnbot::activation
