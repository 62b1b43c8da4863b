#include "actors/workers/periodic_worker.hpp"

#include <caf/all.hpp>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "actors/workers/worker_metrics.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::workers {
namespace {

// Time comes from the actor clock, so tests on the test coordinator move it.
using steady = caf::actor_clock;

struct worker_state {
  periodic_worker_config cfg;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<worker_metrics> metrics;
};

using periodic_worker_actor_t = caf::stateful_actor<worker_state>;

void iterate(periodic_worker_actor_t* self) {
  auto& st = self->state;
  auto started = self->clock().now();
  auto now = st.cfg.clock();
  auto step = st.cfg.step;
  auto owner = st.cfg.lease_owner;
  auto ttl = st.cfg.lease_ttl;
  storage::db_request<step_report>(
      self, self->state.cfg.wiring.db, "worker." + st.cfg.name,
      [step, now, owner, ttl, fence = st.cfg.wiring.fence](pqxx::dbtransaction& tx) {
        if (fence) return run_fenced(tx, *fence, step, now);
        if (owner.empty()) return step(tx, now);
        return run_leased(tx, "workers", owner, ttl, step, now);
      },
      st.cfg.budget,
      [self, started, now](caf::expected<step_report> r) {
        auto& st = self->state;
        const auto& m = *st.metrics;
        const std::vector<std::string> l{st.cfg.name};
        m.iteration_seconds.with(l).observe(
            std::chrono::duration<double>(self->clock().now() - started).count());
        if (!r && r.error() == db::db_errc::unavailable) {
          // The pool is not running (yet, or between restarts): not this
          // worker's failure; its supervisor will restart the pool.
          self->delayed_send(self, std::chrono::milliseconds(200), tick_atom_v);
          return;
        }
        if (!r) {
          m.failures.with(l).inc();
          log::error("worker", "iteration failed; the supervisor restarts the worker",
                     {{"worker", st.cfg.name}, {"error", to_string(r.error())}});
          self->quit(r.error());
          return;
        }
        m.lease_held.with(l).set(r->standby ? 0 : 1);
        m.items.with(l).inc(static_cast<double>(r->processed));
        m.last_success.with(l).set(std::chrono::duration<double>(now.time_since_epoch()).count());
        self->state.cfg.wiring.kick_outbox(r->outbox_ids);
        self->delayed_send(self, st.cfg.interval, tick_atom_v);
      });
}

caf::behavior worker_actor(periodic_worker_actor_t* self, periodic_worker_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("worker", *self->state.cfg.registry);
  self->state.metrics = std::make_unique<worker_metrics>(*self->state.cfg.registry);
  self->send(self, tick_atom_v);
  return {instrumented(self, *self->state.probe, [self](tick_atom) { iterate(self); })};
}

}  // namespace

caf::actor spawn_periodic_worker(caf::actor_system& sys, periodic_worker_config cfg) {
  return sys.spawn(worker_actor, std::move(cfg));
}

}  // namespace vpnbot::workers
