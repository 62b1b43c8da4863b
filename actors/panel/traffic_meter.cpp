#include "actors/panel/traffic_meter.hpp"

#include <caf/all.hpp>
#include <vector>

#include "actors/actor_probe.hpp"
#include "actors/panel/panel_round.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/log/logger.hpp"
#include "domain/subscriptions/traffic_readings.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

constexpr const char* component = "traffic";

struct meter_state {
  traffic_meter_config cfg;
  std::unique_ptr<actor_probe> probe;
  panel_round round;
};

using actor_t = caf::stateful_actor<meter_state>;

void count_reading(actor_t* self, const std::string& panel, const std::string& outcome) {
  self->state.cfg.registry
      ->get_counter("vpnbot_traffic_readings_total", "Traffic readings of panels by outcome",
                    {{"panel", panel}, {"outcome", outcome}})
      .inc();
}

void next_panel(actor_t* self);

void store(actor_t* self, const std::string& name, std::vector<db::traffic_reading> readings) {
  storage::db_request<int64_t>(
      self, "traffic.record",
      [name, readings = std::move(readings)](pqxx::dbtransaction& tx) {
        return db::record_traffic(tx, name, readings);
      },
      std::chrono::seconds(30),
      [self, name](caf::expected<int64_t> n) {
        if (!n && n.error() == db::db_errc::unavailable) {
          // The pool is between restarts: not this actor's failure.
          return self->state.round.abandon();
        }
        if (!n) {
          log::error(component, "could not store traffic readings",
                     {{"error", to_string(n.error())}});
          return self->quit(n.error());
        }
        count_reading(self, name, "ok");
        next_panel(self);
      });
}

void next_panel(actor_t* self) {
  auto& st = self->state;
  auto next = st.round.next(st.cfg.panels);
  if (!next) return;
  auto name = next->first;
  self->request(next->second, st.cfg.call_timeout, panel_get_inbound{})
      .then([self, name](panel::xui_inbound& in) { store(self, name, traffic_readings(in)); },
            [self, name](caf::error& e) {
              count_reading(self, name, "panel_failed");
              log::warn(component, "the panel's traffic could not be read; next round",
                        {{"panel", name}, {"error", to_string(e)}});
              next_panel(self);
            });
}

void run(actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.interval, tick_atom_v);
  if (st.round.begin(st.cfg.panels)) next_panel(self);
}

caf::behavior traffic_meter_actor(actor_t* self, traffic_meter_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("traffic_meter", *self->state.cfg.registry);
  self->delayed_send(self, self->state.cfg.interval, tick_atom_v);
  return {instrumented(self, *self->state.probe, [self](tick_atom) { run(self); })};
}

}  // namespace

caf::actor spawn_traffic_meter(caf::actor_system& sys, traffic_meter_config cfg) {
  return sys.spawn(traffic_meter_actor, std::move(cfg));
}

}  // namespace vpnbot::activation
