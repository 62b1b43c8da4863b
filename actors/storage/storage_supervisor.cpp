#include "actors/storage/storage_supervisor.hpp"

#include <caf/local_actor.hpp>
#include <memory>

#include "actors/storage/db_pool.hpp"
#include "actors/storage/db_worker.hpp"
#include "actors/supervisor.hpp"

namespace vpnbot::storage {

supervision::child_spec storage_child(const config::settings& settings, std::string database_url,
                                      const components& wiring, metrics::registry& registry) {
  const auto& db = settings.database;
  supervision::supervisor_spec spec;
  spec.name = "storage";
  spec.restart_strategy = supervision::strategy::rest_for_one;
  spec.limits = settings.supervision;
  // Every connection can drop at once when the server restarts; that alone
  // must not exhaust the restart budget meant for crash loops.
  spec.limits.max_restarts = settings.supervision.max_restarts * (db.pool_size + 1);
  db_pool_options pool_opts{db.max_queue, db.request_timeout, wiring.db, db.group_commit,
                            db.group_wait};
  supervision::child_spec pool;
  pool.name = "pool";
  pool.start = [pool_opts, &registry](caf::local_actor* sup) {
    return caf::actor_cast<caf::actor>(spawn_db_pool(sup->system(), pool_opts, registry));
  };
  spec.children.push_back(std::move(pool));
  for (unsigned i = 1; i <= db.pool_size; ++i) {
    auto incarnations = std::make_shared<unsigned>(0);
    db_worker_options opts{
        database_url, "db-" + std::to_string(i), db.statement_timeout, db.connect_timeout,
        // A node paused mid-transaction must not keep
        // the leader's lease locked past half its ttl.
        settings.cluster.enabled() ? settings.cluster.lease_ttl / 2 : config::duration{0}, 1,
        wiring.db};
    supervision::child_spec worker;
    worker.name = opts.name;
    worker.start = [opts, incarnations, &registry](caf::local_actor* sup) mutable {
      opts.incarnation = ++*incarnations;
      return caf::actor_cast<caf::actor>(spawn_db_worker(sup->system(), opts, registry));
    };
    spec.children.push_back(std::move(worker));
  }
  return supervision::supervisor_child(std::move(spec), registry);
}

}  // namespace vpnbot::storage
