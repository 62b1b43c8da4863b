#include "actors/storage/db_worker.hpp"

#include <caf/all.hpp>
#include <chrono>
#include <pqxx/pqxx>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_pool.hpp"
#include "actors/storage/storage_metrics.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/db/group_commit.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::storage {
namespace {

constexpr const char* db_worker_component = "db";

std::string with_parameter(std::string url, const std::string& param) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + param;
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
  if (opts.idle_in_transaction_timeout.count() > 0)
    pqxx::nontransaction(*st.conn).exec("SET idle_in_transaction_session_timeout = " +
                                        std::to_string(opts.idle_in_transaction_timeout.count()));
  if (opts.incarnation > 1) st.metrics->reconnects().inc();
  log::debug(db_worker_component, "connection open", {{"worker", opts.name}});
  auto announce = [self, pool_slot = opts.pool] {
    if (auto pool = pool_slot->get())
      self->send(pool, db_worker_ready_atom_v, caf::actor_cast<db_worker_actor>(self));
  };
  announce();
  // Counts the outcome; true when the connection is gone and this worker
  // must end (its supervisor reconnects).
  auto record = [self](const std::string& call, const db_outcome& out,
                       caf::actor_clock::time_point start) {
    std::chrono::duration<double> took = self->clock().now() - start;
    const auto& m = *self->state.metrics;
    m.query_seconds.with({call}).observe(took.count());
    if (!out.error) return false;
    m.errors.with({call, to_string(static_cast<db::db_errc>(out.error.code()))}).inc();
    return out.error == db::db_errc::connection_lost;
  };
  auto lost = [self](const std::string& worker, const std::string& call) {
    log::warn(db_worker_component, "connection lost", {{"worker", worker}, {"call", call}});
    self->quit(caf::make_error(db::db_errc::connection_lost, worker + ": connection lost"));
  };
  return {
      instrumented(self, *st.probe,
                   [self, announce, record, lost, name = opts.name](db_call& call) {
                     auto rp = self->make_response_promise<db_value>();
                     auto start = self->clock().now();
                     auto out = db::run_alone(*self->state.conn, call);
                     // Recorded before the answer, so whoever got it sees the call counted.
                     bool gone = record(call.name, out, start);
                     if (!out.error) self->state.metrics->commits().inc();
                     if (out.error)
                       rp.deliver(out.error);
                     else
                       rp.deliver(db_value{std::move(out.value)});
                     if (gone)
                       lost(name, call.name);
                     else
                       announce();
                     return rp;
                   }),
      instrumented(self, *st.probe,
                   [self, announce, record, lost, name = opts.name](db_batch& batch) {
                     auto rp = self->make_response_promise<db_batch_result>();
                     auto start = self->clock().now();
                     auto report = db::run_group(*self->state.conn, batch.calls);
                     const auto& m = *self->state.metrics;
                     m.commits().inc(static_cast<double>(report.commits));
                     m.group_reruns().inc(static_cast<double>(report.reruns));
                     m.merged_calls().inc(static_cast<double>(report.merged));
                     bool gone = false;
                     for (std::size_t i = 0; i < batch.calls.size(); ++i)
                       gone = record(batch.calls[i].name, report.outcomes[i], start) || gone;
                     rp.deliver(db_batch_result{std::move(report.outcomes)});
                     if (gone)
                       lost(name, "group commit");
                     else
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
