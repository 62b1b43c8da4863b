#include "actors/storage/db_pool.hpp"

#include <caf/all.hpp>
#include <deque>
#include <set>

#include "actors/actor_probe.hpp"
#include "actors/storage/storage_metrics.hpp"
#include "adapters/db/db_error.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::storage {
namespace {

struct pending_call {
  db_call call;
  caf::typed_response_promise<db_value> rp;
  caf::actor_clock::time_point deadline;
};

struct pool_state {
  std::deque<pending_call> queue;
  std::vector<db_worker_actor> idle;
  std::set<caf::actor_addr> known;
  size_t in_flight = 0;
  std::unique_ptr<actor_probe> probe;
  metrics::gauge* queue_depth = nullptr;
  metrics::gauge* in_flight_gauge = nullptr;
  metrics::counter* refused = nullptr;
};

caf::error deadline_error(const std::string& call) {
  return caf::make_error(db::db_errc::timeout, call + ": no connection became free in time");
}

void publish(pool_state& st) {
  st.queue_depth->set(static_cast<double>(st.queue.size()));
  st.in_flight_gauge->set(static_cast<double>(st.in_flight));
}

void dispatch(db_pool_actor::stateful_pointer<pool_state> self) {
  auto& st = self->state;
  auto now = self->clock().now();
  while (!st.idle.empty() && !st.queue.empty()) {
    auto p = std::move(st.queue.front());
    st.queue.pop_front();
    if (p.deadline <= now) {
      p.rp.deliver(deadline_error(p.call.name));
      continue;
    }
    auto worker = std::move(st.idle.back());
    st.idle.pop_back();
    ++st.in_flight;
    auto name = p.call.name;
    // The worker tells the pool itself when it is free again, so neither
    // outcome below puts it back.
    self->request(worker, p.deadline - now, std::move(p.call))
        .then(
            [self, rp = p.rp](db_value& v) mutable {
              --self->state.in_flight;
              publish(self->state);
              rp.deliver(std::move(v));
            },
            [self, rp = p.rp, name](caf::error& e) mutable {
              --self->state.in_flight;
              publish(self->state);
              if (e == caf::sec::request_timeout)
                e = caf::make_error(db::db_errc::timeout, name + ": exceeded the request timeout");
              else if (e == caf::sec::request_receiver_down)
                e = caf::make_error(db::db_errc::connection_lost,
                                    name + ": the connection's worker stopped");
              rp.deliver(std::move(e));
            });
  }
  // Whatever waited too long is answered now, not when a worker frees up.
  while (!st.queue.empty() && st.queue.front().deadline <= now) {
    st.queue.front().rp.deliver(deadline_error(st.queue.front().call.name));
    st.queue.pop_front();
  }
  publish(st);
}

db_pool_actor::behavior_type db_pool(db_pool_actor::stateful_pointer<pool_state> self,
                                     db_pool_options opts, metrics::registry* registry) {
  auto& st = self->state;
  st.probe = std::make_unique<actor_probe>("db_pool", *registry);
  storage_metrics m{*registry};
  st.queue_depth = &m.queue_depth();
  st.in_flight_gauge = &m.in_flight();
  st.refused = &m.refused();
  publish(self, opts.slot);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& s = self->state;
    s.known.erase(down.source);
    s.idle.erase(
        std::remove_if(s.idle.begin(), s.idle.end(),
                       [&](const db_worker_actor& a) { return a.address() == down.source; }),
        s.idle.end());
  });
  return {
      instrumented(self, *st.probe,
                   [self, opts](db_call& call) -> caf::result<db_value> {
                     auto& s = self->state;
                     if (s.queue.size() >= opts.max_queue) {
                       s.refused->inc();
                       return caf::make_error(db::db_errc::overloaded,
                                              call.name + ": too many database calls waiting");
                     }
                     auto rp = self->make_response_promise<db_value>();
                     auto deadline = self->clock().now() + opts.request_timeout;
                     s.queue.push_back({std::move(call), rp, deadline});
                     // A timer per call keeps the "never silence" promise even
                     // when no worker frees up for a long time.
                     self->delayed_send(self, opts.request_timeout, tick_atom_v);
                     dispatch(self);
                     return rp;
                   }),
      instrumented(self, *st.probe,
                   [self](db_worker_ready_atom, db_worker_actor worker) {
                     auto& s = self->state;
                     if (s.known.insert(worker.address()).second) self->monitor(worker);
                     if (std::find(s.idle.begin(), s.idle.end(), worker) == s.idle.end())
                       s.idle.push_back(std::move(worker));
                     dispatch(self);
                   }),
      instrumented(self, *st.probe, [self](tick_atom) { dispatch(self); }),
  };
}

}  // namespace

db_pool_actor spawn_db_pool(caf::actor_system& sys, db_pool_options opts,
                            metrics::registry& registry) {
  return sys.spawn(db_pool, opts, &registry);
}

}  // namespace vpnbot::storage
