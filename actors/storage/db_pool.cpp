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
  std::size_t group_max = 1;
  config::duration group_wait{0};
  bool gathering = false;  // a tick is due at the end of group_wait
};

caf::error deadline_error(const std::string& call) {
  return caf::make_error(db::db_errc::timeout, call + ": no connection became free in time");
}

// What a failed request to a worker means to the caller.
caf::error worker_error(caf::error e, const std::string& call) {
  if (e == caf::sec::request_timeout)
    return caf::make_error(db::db_errc::timeout, call + ": exceeded the request timeout");
  if (e == caf::sec::request_receiver_down)
    return caf::make_error(db::db_errc::connection_lost,
                           call + ": the connection's worker stopped");
  return e;
}

void show_gauges(pool_state& st) {
  st.queue_depth->set(static_cast<double>(st.queue.size()));
  st.in_flight_gauge->set(static_cast<double>(st.in_flight));
}

using pool_actor = db_pool_actor::stateful_pointer<pool_state>;

// The worker tells the pool itself when it is free again, so neither
// outcome below puts it back.
void send_one(pool_actor self, const db_worker_actor& worker, pending_call p,
              caf::actor_clock::time_point now) {
  auto name = p.call.name;
  self->request(worker, p.deadline - now, std::move(p.call))
      .then(
          [self, rp = p.rp](db_value& v) mutable {
            --self->state.in_flight;
            show_gauges(self->state);
            rp.deliver(std::move(v));
          },
          [self, rp = p.rp, name](caf::error& e) mutable {
            --self->state.in_flight;
            show_gauges(self->state);
            rp.deliver(worker_error(std::move(e), name));
          });
}

// The worker's answer is bounded by the latest deadline of the group: the
// deadlines bound the wait for a connection, statement_timeout the work.
void send_group(pool_actor self, const db_worker_actor& worker, std::vector<pending_call> group,
                caf::actor_clock::time_point now) {
  db_batch batch;
  std::vector<caf::typed_response_promise<db_value>> promises;
  std::vector<std::string> names;
  auto deadline = now;
  for (auto& p : group) {
    deadline = std::max(deadline, p.deadline);
    names.push_back(p.call.name);
    promises.push_back(p.rp);
    batch.calls.push_back(std::move(p.call));
  }
  self->request(worker, deadline - now, std::move(batch))
      .then(
          [self, promises](db_batch_result& r) mutable {
            self->state.in_flight -= promises.size();
            show_gauges(self->state);
            for (std::size_t i = 0; i < promises.size(); ++i) {
              auto& out = r.outcomes[i];
              if (out.error)
                promises[i].deliver(std::move(out.error));
              else
                promises[i].deliver(db_value{std::move(out.value)});
            }
          },
          [self, promises, names](caf::error& e) mutable {
            self->state.in_flight -= promises.size();
            show_gauges(self->state);
            for (std::size_t i = 0; i < promises.size(); ++i)
              promises[i].deliver(worker_error(e, names[i]));
          });
}

void dispatch(pool_actor self) {
  auto& st = self->state;
  auto now = self->clock().now();
  while (!st.idle.empty() && !st.queue.empty()) {
    // What waits is spread over the idle workers, at most group_max calls
    // to one transaction; a lone call goes alone, without delay.
    auto share = std::min(st.group_max, (st.queue.size() + st.idle.size() - 1) / st.idle.size());
    std::vector<pending_call> group;
    while (group.size() < share && !st.queue.empty()) {
      auto p = std::move(st.queue.front());
      st.queue.pop_front();
      if (p.deadline <= now)
        p.rp.deliver(deadline_error(p.call.name));
      else
        group.push_back(std::move(p));
    }
    if (group.empty()) continue;
    auto worker = std::move(st.idle.back());
    st.idle.pop_back();
    st.in_flight += group.size();
    if (group.size() == 1)
      send_one(self, worker, std::move(group.front()), now);
    else
      send_group(self, worker, std::move(group), now);
  }
  // Whatever waited too long is answered now, not when a worker frees up.
  while (!st.queue.empty() && st.queue.front().deadline <= now) {
    st.queue.front().rp.deliver(deadline_error(st.queue.front().call.name));
    st.queue.pop_front();
  }
  show_gauges(st);
}

// Calls arrive one by one (each session sends its own): sent at once, the
// first ones of a burst would each take an idle worker alone, a
// transaction each. While the pool is busy anyway, a new call waits a
// little for company; at an idle pool it goes at once.
void gather_or_dispatch(pool_actor self) {
  auto& st = self->state;
  bool full_groups_wait =
      st.queue.size() >= st.group_max * std::max<std::size_t>(1, st.idle.size());
  if (st.group_wait.count() == 0 || st.in_flight == 0 || st.idle.empty() || full_groups_wait)
    return dispatch(self);
  if (st.gathering) return show_gauges(st);
  st.gathering = true;
  self->delayed_send(self, st.group_wait, tick_atom_v);
  show_gauges(st);
}

db_pool_actor::behavior_type db_pool(pool_actor self, db_pool_options opts,
                                     metrics::registry* registry) {
  auto& st = self->state;
  st.group_max = std::max<std::size_t>(1, opts.group_max);
  st.group_wait = opts.group_wait;
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
                     gather_or_dispatch(self);
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
      instrumented(self, *st.probe,
                   [self](tick_atom) {
                     self->state.gathering = false;
                     dispatch(self);
                   }),
  };
}

}  // namespace

db_pool_actor spawn_db_pool(caf::actor_system& sys, db_pool_options opts,
                            metrics::registry& registry) {
  return sys.spawn(db_pool, opts, &registry);
}

}  // namespace vpnbot::storage
