#include "actors/supervisor.hpp"

#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/result.hpp>
#include <caf/typed_response_promise.hpp>
#include <exception>
#include <memory>
#include <random>
#include <utility>

#include "actors/actor_probe.hpp"
#include "actors/supervisor_error.hpp"
#include "actors/supervisor_metrics.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/resilience/restart_backoff.hpp"
#include "adapters/resilience/restart_intensity.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::supervision {
namespace {

using clock_point = caf::actor_clock::time_point;

constexpr std::string_view supervisor_component = "supervisor";

// user_shutdown is how a supervisor asks a child to stop, so it is not a
// failure even when the child reports it as its exit reason.
bool abnormal(const caf::error& reason) {
  return reason && reason != caf::exit_reason::user_shutdown;
}

bool wants_restart(restart_type type, const caf::error& reason) {
  switch (type) {
    case restart_type::permanent:
      return true;
    case restart_type::transient:
      return abnormal(reason);
    case restart_type::temporary:
      return false;
  }
  return false;
}

int64_t millis(caf::timespan d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// One child slot: the handle changes with every incarnation, the rest stays.
struct child {
  child(child_spec s, caf::timespan timeout, backoff_policy policy, metrics::gauge* up_gauge,
        metrics::counter* restart_counter)
      : spec(std::move(s)),
        shutdown_timeout(timeout),
        backoff(policy),
        up(up_gauge),
        restarts_total(restart_counter) {}

  child_spec spec;
  caf::timespan shutdown_timeout;
  restart_backoff backoff;
  metrics::gauge* up;
  metrics::counter* restarts_total;
  caf::actor handle;
  child_state state = child_state::starting;
  uint32_t restarts = 0;
  bool ever_started = false;
  // Waiting for its turn in the reverse-order stop sequence.
  bool stop_requested = false;
  // After the stop: wait for a restart (group restart) or stay stopped.
  bool restart_after_stop = false;
  bool kill_sent = false;
  clock_point due{};      // starting/restarting: not started before this
  clock_point kill_at{};  // stopping: killed from this point on
};

// Answers of the children asked for readiness, kept in child order so the
// report does not depend on who answered first.
struct readiness_gather {
  std::vector<std::vector<std::string>> slots;
  std::size_t pending = 0;
  caf::typed_response_promise<readiness_report> promise;

  readiness_report report() const {
    readiness_report out;
    for (auto& slot : slots) out.not_ready.insert(out.not_ready.end(), slot.begin(), slot.end());
    return out;
  }
  void answered() {
    if (--pending == 0) promise.deliver(report());
  }
};

// A class-based actor rather than a stateful one: the restart intensity,
// backoff and metric references are fixed at spawn and need constructor
// arguments.
class supervisor_actor : public caf::event_based_actor {
 public:
  supervisor_actor(caf::actor_config& cfg, supervisor_spec spec, metrics::registry* registry)
      : caf::event_based_actor(cfg),
        name_(std::move(spec.name)),
        strategy_(spec.restart_strategy),
        readiness_timeout_(spec.readiness_timeout),
        probe_("supervisor", *registry),
        intensity_(spec.limits.max_restarts, spec.limits.within),
        jitter_(spec.jitter_seed ? *spec.jitter_seed : std::random_device{}()),
        metrics_(*registry),
        running_(&metrics_.children_running.with({name_})),
        escalations_(&metrics_.escalations.with({name_})) {
    backoff_policy policy{spec.limits.backoff_min, spec.limits.backoff_max,
                          spec.limits.backoff_reset, spec.backoff_jitter};
    for (auto& s : spec.children) {
      auto timeout = s.shutdown_timeout.value_or(spec.limits.child_shutdown_timeout);
      auto& up = metrics_.child_up.with({name_, s.name});
      auto& restarts = metrics_.restarts.with({name_, s.name});
      children_.emplace_back(std::move(s), timeout, policy, &up, &restarts);
    }
    set_down_handler([this](caf::down_msg& msg) { on_down(msg); });
    set_exit_handler([this](caf::exit_msg& msg) { on_exit_msg(msg); });
    publish();
  }

  const char* name() const override { return "supervisor"; }

  caf::behavior make_behavior() override {
    // The first start runs from a message like every restart, so a child
    // that cannot start takes the same path as one that crashed.
    send(caf::actor_cast<caf::actor>(this), tick_atom_v);
    return {
        instrumented(this, probe_, [this](get_children_atom) { return statuses(); }),
        instrumented(this, probe_,
                     [this](get_children_atom, const std::string& path)
                         -> caf::result<std::vector<child_status>> { return children_of(path); }),
        instrumented(
            this, probe_,
            [this](readiness_atom) -> caf::result<readiness_report> { return readiness(); }),
        instrumented(
            this, probe_,
            [this](shutdown_atom) -> caf::result<void> {
              auto rp = make_response_promise();
              shutdown_waiters_.push_back(rp);
              if (!shutting_down_)
                log::info(supervisor_component, "shutdown requested", {{"supervisor", name_}});
              begin_shutdown(caf::error{});
              settle();
              return rp;
            }),
        instrumented(this, probe_, [this](tick_atom) { on_tick(); }),
    };
  }

  // Children are monitored, not linked, so a dying supervisor takes the ones
  // still alive down itself (only after a kill or a crash of its own: every
  // other exit path stops them first).
  void on_exit() override {
    auto reason = fail_state() ? fail_state() : caf::make_error(caf::exit_reason::user_shutdown);
    for (auto& c : children_)
      if (c.handle) send_exit(c.handle, reason);
    running_->set(0);
    for (auto& c : children_) c.up->set(0);
  }

 private:
  // -- events -----------------------------------------------------------------

  void on_down(caf::down_msg& msg) {
    if (auto i = index_of(msg.source); i < children_.size()) child_exited(i, msg.reason);
    settle();
  }

  // Nothing is linked to a supervisor by design, so an exit message is a
  // request from the parent (or main) to stop.
  void on_exit_msg(caf::exit_msg& msg) {
    if (!msg.reason) return;  // a linked stranger finished normally
    log::info(supervisor_component, "stop requested by exit message",
              {{"supervisor", name_}, {"reason", to_string(msg.reason)}});
    begin_shutdown(msg.reason == caf::exit_reason::user_shutdown ? caf::error{}
                                                                 : std::move(msg.reason));
    settle();
  }

  void on_tick() {
    auto now = clock().now();
    for (auto& c : children_) {
      if (c.state != child_state::stopping || c.kill_sent || now < c.kill_at) continue;
      log::warn(supervisor_component, "child did not stop in time, killing it",
                {{"supervisor", name_},
                 {"child", c.spec.name},
                 {"timeout_ms", millis(c.shutdown_timeout)}});
      c.kill_sent = true;
      send_exit(c.handle, caf::exit_reason::kill);
    }
    settle();
  }

  void child_exited(std::size_t i, const caf::error& reason) {
    auto& c = children_[i];
    c.handle = caf::actor{};
    if (c.state == child_state::stopping || c.stop_requested) {
      log::info(supervisor_component, "child stopped",
                {{"supervisor", name_}, {"child", c.spec.name}, {"reason", to_string(reason)}});
      c.stop_requested = false;
      c.state = c.restart_after_stop ? child_state::restarting : child_state::stopped;
      return;
    }
    failed(i, reason);
  }

  // The child died (or could not start) without being asked to.
  void failed(std::size_t i, const caf::error& reason) {
    auto& c = children_[i];
    log::write(abnormal(reason) ? log::level::warn : log::level::info, supervisor_component,
               "child exited",
               {{"supervisor", name_},
                {"child", c.spec.name},
                {"reason", to_string(reason)},
                {"restart", to_string(c.spec.restart)}});
    if (shutting_down_ || !wants_restart(c.spec.restart, reason)) {
      c.state = child_state::stopped;
      return;
    }
    auto now = clock().now();
    if (!intensity_.allow_restart(now)) {
      c.state = child_state::stopped;
      escalate(c, reason);
      return;
    }
    auto delay = c.backoff.next_delay(now, std::uniform_real_distribution<double>{}(jitter_));
    auto due = now + delay;
    c.state = child_state::restarting;
    c.due = due;
    log::info(supervisor_component, "child restart scheduled",
              {{"supervisor", name_},
               {"child", c.spec.name},
               {"delay_ms", millis(delay)},
               {"attempt", c.backoff.attempt()}});
    auto first = strategy_ == strategy::one_for_all ? 0 : i + 1;
    auto last = strategy_ == strategy::one_for_one ? i + 1 : children_.size();
    for (auto j = first; j < last; ++j) {
      if (j == i) continue;
      auto& s = children_[j];
      auto again = s.spec.restart != restart_type::temporary;
      switch (s.state) {
        case child_state::running:
          s.stop_requested = true;
          s.restart_after_stop = again;
          s.due = std::max(s.due, due);
          break;
        case child_state::stopping:
          s.restart_after_stop = again;
          s.due = std::max(s.due, due);
          break;
        case child_state::starting:
        case child_state::restarting:
          s.due = std::max(s.due, due);
          break;
        case child_state::stopped:
          break;
      }
    }
  }

  void escalate(const child& c, const caf::error& reason) {
    escalations_->inc();
    auto text = "supervisor '" + name_ + "': child '" + c.spec.name + "' needed more than " +
                std::to_string(intensity_.max_restarts()) + " restarts in " +
                std::to_string(millis(intensity_.within())) +
                " ms; last exit: " + to_string(reason);
    log::error(supervisor_component, "restart intensity exceeded, giving up",
               {{"supervisor", name_}, {"child", c.spec.name}, {"reason", to_string(reason)}});
    begin_shutdown(caf::make_error(supervisor_errc::restart_intensity_exceeded, std::move(text)));
  }

  // Stops every child; the first abnormal reason becomes the exit reason.
  void begin_shutdown(caf::error reason) {
    shutting_down_ = true;
    if (!exit_reason_) exit_reason_ = std::move(reason);
    for (auto& c : children_) {
      c.restart_after_stop = false;
      if (c.state == child_state::running)
        c.stop_requested = true;
      else if (c.state == child_state::starting || c.state == child_state::restarting)
        c.state = child_state::stopped;
    }
  }

  // -- progress -----------------------------------------------------------------

  // Moves on as far as the current state allows: one stop at a time from the
  // back, then either the end of a shutdown or the restarts that are due.
  void settle() {
    while (!finished_) {
      if (std::any_of(children_.begin(), children_.end(),
                      [](const child& c) { return c.state == child_state::stopping; }))
        break;
      if (auto j = next_to_stop(); j < children_.size()) {
        stop(j);
        break;
      }
      if (shutting_down_) {
        finish();
        break;
      }
      if (start_due_children()) break;
    }
    publish();
  }

  std::size_t next_to_stop() const {
    for (auto j = children_.size(); j-- > 0;)
      if (children_[j].stop_requested) return j;
    return children_.size();
  }

  void stop(std::size_t j) {
    auto& c = children_[j];
    c.stop_requested = false;
    c.state = child_state::stopping;
    c.kill_sent = false;
    c.kill_at = clock().now() + c.shutdown_timeout;
    log::info(supervisor_component, "stopping child",
              {{"supervisor", name_}, {"child", c.spec.name}});
    send_exit(c.handle, caf::exit_reason::user_shutdown);
    delayed_send(caf::actor_cast<caf::actor>(this), c.shutdown_timeout, tick_atom_v);
  }

  // Starts the children whose time has come, in order; false when a start
  // failed and the plan changed.
  bool start_due_children() {
    auto now = clock().now();
    std::optional<clock_point> next;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      auto& c = children_[i];
      if (c.state != child_state::starting && c.state != child_state::restarting) continue;
      if (c.due > now) {
        next = next ? std::min(*next, c.due) : c.due;
        // Children of a group restart come back in order: none overtakes an
        // earlier one that is still waiting.
        if (strategy_ != strategy::one_for_one) break;
        continue;
      }
      if (!start(i)) return false;
    }
    if (next) delayed_send(caf::actor_cast<caf::actor>(this), *next - now, tick_atom_v);
    return true;
  }

  bool start(std::size_t i) {
    auto& c = children_[i];
    caf::actor handle;
    caf::error failure;
    try {
      handle = c.spec.start(this);
      if (!handle)
        failure = caf::make_error(supervisor_errc::child_start_failed,
                                  "factory of '" + c.spec.name + "' returned no actor");
    } catch (const std::exception& e) {
      failure = caf::make_error(supervisor_errc::child_start_failed,
                                "factory of '" + c.spec.name + "' threw: " + e.what());
    }
    if (failure) {
      failed(i, failure);
      return false;
    }
    // A monitor, not a link: CAF's kill always travels over links, so killing
    // a stuck child would kill the supervisor too.
    monitor(handle);
    c.handle = std::move(handle);
    c.state = child_state::running;
    c.backoff.started(clock().now());
    if (c.ever_started) {
      ++c.restarts;
      c.restarts_total->inc();
      log::info(supervisor_component, "child restarted",
                {{"supervisor", name_}, {"child", c.spec.name}, {"restarts", c.restarts}});
    }
    c.ever_started = true;
    return true;
  }

  void finish() {
    finished_ = true;
    log::write(exit_reason_ ? log::level::error : log::level::info, supervisor_component,
               "supervisor stopped", {{"supervisor", name_}, {"reason", to_string(exit_reason_)}});
    for (auto& rp : shutdown_waiters_) rp.deliver(caf::unit);
    quit(exit_reason_);
  }

  void publish() {
    double running = 0;
    for (auto& c : children_) {
      auto up = c.state == child_state::running;
      c.up->set(up ? 1 : 0);
      running += up ? 1 : 0;
    }
    running_->set(running);
  }

  // -- queries ------------------------------------------------------------------

  std::vector<child_status> statuses() const {
    std::vector<child_status> out;
    for (auto& c : children_) out.push_back(child_status{c.spec.name, c.state, c.restarts});
    return out;
  }

  caf::result<std::vector<child_status>> children_of(const std::string& path) {
    if (path.empty()) return statuses();
    auto slash = path.find('/');
    auto head = path.substr(0, slash);
    auto rest = slash == std::string::npos ? std::string{} : path.substr(slash + 1);
    for (auto& c : children_) {
      if (c.spec.name != head || !c.spec.is_supervisor || c.state != child_state::running) continue;
      auto rp = make_response_promise();
      rp.delegate(c.handle, get_children_atom_v, std::move(rest));
      return rp;
    }
    return caf::make_error(
        supervisor_errc::no_such_child,
        "supervisor '" + name_ + "' has no running nested supervisor '" + head + "'");
  }

  caf::result<readiness_report> readiness() {
    auto gather = std::make_shared<readiness_gather>();
    gather->slots.resize(children_.size() + 1);
    if (shutting_down_) gather->slots[0].push_back(name_ + ": shutting down");
    std::vector<std::size_t> ask;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      auto& c = children_[i];
      if (c.state == child_state::running) {
        if (c.spec.is_supervisor || c.spec.reports_readiness) ask.push_back(i);
      } else if (c.state != child_state::stopped) {
        // Stopped children are done by their own restart type, not failing.
        gather->slots[i + 1].push_back(name_ + "/" + c.spec.name + ": " + to_string(c.state));
      }
    }
    if (ask.empty()) return gather->report();
    gather->pending = ask.size();
    gather->promise = make_response_promise<readiness_report>();
    for (auto i : ask) {
      auto& c = children_[i];
      auto path = name_ + "/" + c.spec.name;
      // A nested supervisor names its paths itself; a worker gives reasons.
      auto prefix = c.spec.is_supervisor ? name_ + "/" : path + ": ";
      request(c.handle, readiness_timeout_, readiness_atom_v)
          .then(
              [gather, i, prefix](readiness_report& r) {
                for (auto& entry : r.not_ready) gather->slots[i + 1].push_back(prefix + entry);
                gather->answered();
              },
              [gather, i, path](caf::error& err) {
                gather->slots[i + 1].push_back(path + ": no readiness answer (" + to_string(err) +
                                               ")");
                gather->answered();
              });
    }
    return gather->promise;
  }

  // -- helpers ------------------------------------------------------------------

  std::size_t index_of(const caf::actor_addr& source) const {
    for (std::size_t i = 0; i < children_.size(); ++i)
      if (children_[i].handle && children_[i].handle.address() == source) return i;
    return children_.size();
  }

  std::string name_;
  strategy strategy_;
  caf::timespan readiness_timeout_;
  actor_probe probe_;
  restart_intensity intensity_;
  std::mt19937_64 jitter_;
  supervisor_metrics metrics_;
  metrics::gauge* running_;
  metrics::counter* escalations_;
  std::vector<child> children_;
  bool shutting_down_ = false;
  bool finished_ = false;
  caf::error exit_reason_;
  std::vector<caf::response_promise> shutdown_waiters_;
};

}  // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_spec spec,
                            metrics::registry& registry) {
  return sys.spawn<supervisor_actor>(std::move(spec), &registry);
}

child_spec supervisor_child(supervisor_spec spec, metrics::registry& registry) {
  caf::timespan total = spec.limits.child_shutdown_timeout;
  for (auto& c : spec.children)
    total += c.shutdown_timeout.value_or(spec.limits.child_shutdown_timeout);
  child_spec out;
  out.name = spec.name;
  out.is_supervisor = true;
  out.shutdown_timeout = total;
  out.start = [spec = std::move(spec), reg = &registry](caf::local_actor* self) {
    return spawn_supervisor(self->system(), spec, *reg);
  };
  return out;
}

}  // namespace vpnbot::supervision
