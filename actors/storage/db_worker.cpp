#include "actors/storage/db_worker.hpp"

#include <caf/all.hpp>
#include <chrono>
#include <pqxx/pqxx>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_pool.hpp"
#include "actors/storage/storage_metrics.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::storage {
namespace {

constexpr const char* component = "db";

std::string with_parameter(std::string url, const std::string& param) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + param;
}

// Maps what libpqxx threw to the error callers see; connection_lost means
// this worker must go.
caf::error classify(const std::exception& e, const std::string& call) {
  auto context = call + ": " + e.what();
  if (dynamic_cast<const pqxx::broken_connection*>(&e))
    return caf::make_error(db::db_errc::connection_lost, context);
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const auto& state = sql->sqlstate();
    if (state == "57014") return caf::make_error(db::db_errc::timeout, context);
    // Admin shutdown, crash shutdown, cannot connect now, connection failures.
    if (state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0)
      return caf::make_error(db::db_errc::connection_lost, context);
    if (state.rfind("23", 0) == 0)
      return caf::make_error(db::db_errc::constraint_violation, context);
  }
  return caf::make_error(db::db_errc::query_failed, context);
}

struct worker_state {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<storage_metrics> metrics;
};

db_worker_actor::behavior_type db_worker(db_worker_actor::stateful_pointer<worker_state> self,
                                         db_worker_options opts, metrics::registry* registry) {
  auto& st = self->state;
  st.probe = std::make_unique<actor_probe>("db_worker", *registry);
  st.metrics = std::make_unique<storage_metrics>(*registry);
  auto url = with_parameter(
      opts.url, "connect_timeout=" +
                    std::to_string(std::max<long long>(1, opts.connect_timeout.count() / 1000)));
  url = with_parameter(url, "application_name=vpnbot-" + opts.name);
  // Blocking is this actor's purpose: it has a thread of its own. A failure
  // throws, the actor dies, and the supervisor retries with backoff.
  st.conn = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction(*st.conn).exec("SET statement_timeout = " +
                                      std::to_string(opts.statement_timeout.count()));
  if (opts.incarnation > 1) st.metrics->reconnects().inc();
  log::debug(component, "connection open", {{"worker", opts.name}});
  auto announce = [self, pool_slot = opts.pool] {
    if (auto pool = pool_slot->get())
      self->send(pool, db_worker_ready_atom_v, caf::actor_cast<db_worker_actor>(self));
  };
  announce();
  return {
      instrumented(
          self, *st.probe,
          [self, announce, name = opts.name](db_call& call) {
            auto rp = self->make_response_promise<db_value>();
            auto start = self->clock().now();
            caf::error failure;
            std::any value;
            try {
              pqxx::work tx{*self->state.conn};
              value = call.run(tx);
              tx.commit();
            } catch (const std::exception& e) {
              failure = classify(e, call.name);
            }
            // Recorded before the answer, so whoever got it sees the call counted.
            std::chrono::duration<double> took = self->clock().now() - start;
            const auto& m = *self->state.metrics;
            m.query_seconds.with({call.name}).observe(took.count());
            if (!failure) {
              rp.deliver(db_value{std::move(value)});
              announce();
              return rp;
            }
            m.errors.with({call.name, to_string(static_cast<db::db_errc>(failure.code()))}).inc();
            rp.deliver(failure);
            if (failure == db::db_errc::connection_lost) {
              log::warn(component, "connection lost", {{"worker", name}, {"call", call.name}});
              self->quit(failure);
              return rp;
            }
            announce();
            return rp;
          }),
  };
}

}  // namespace

db_worker_actor spawn_db_worker(caf::actor_system& sys, db_worker_options opts,
                                metrics::registry& registry) {
  return sys.spawn<caf::detached>(db_worker, std::move(opts), &registry);
}

}  // namespace vpnbot::storage
