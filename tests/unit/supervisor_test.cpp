#include "actors/supervisor.hpp"

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/supervisor_error.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"
#include "support/deterministic_system.hpp"

// Every test runs on CAF's deterministic test coordinator: messages are
// processed only when the test drains the queue, and time moves only when the
// test advances the actor clock, so delays are observed exactly.

namespace vpnbot::supervision {
namespace {

using namespace std::chrono_literals;
using journal = std::vector<std::string>;

// A worker: records its start and its end in the journal, throws on "crash",
// exits normally on "quit", and answers anything else with a counter that
// lives in the incarnation (so a restart starts it at zero again).
struct worker_state {
  int count = 0;
};

caf::behavior worker(caf::stateful_actor<worker_state>* self, std::string name,
                     std::shared_ptr<journal> record) {
  record->push_back("start " + name);
  self->attach_functor([=](const caf::error&) { record->push_back("stop " + name); });
  return {
      [=](const std::string& cmd) -> int {
        if (cmd == "crash") throw std::runtime_error(name + " crashed");
        if (cmd == "quit") self->quit();
        return ++self->state.count;
      },
  };
}

// A worker that ignores the polite exit; only a kill ends it.
caf::behavior stubborn(caf::event_based_actor* self, std::string name,
                       std::shared_ptr<journal> record) {
  record->push_back("start " + name);
  self->attach_functor([=](const caf::error& reason) {
    record->push_back("stop " + name + " (" + to_string(reason) + ")");
  });
  self->set_exit_handler([](caf::exit_msg&) {});
  return {[](int) {}};
}

// A worker that reports its own readiness, like a panel with an open breaker.
caf::behavior breaker_open(caf::event_based_actor*) {
  return {[](readiness_atom) { return readiness_report{{"breaker open"}}; }};
}

// A worker that never answers a readiness question.
caf::behavior never_answers(caf::event_based_actor* self) {
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  return {[=](readiness_atom) {
    held->push_back(self->make_response_promise());
    return held->back();
  }};
}

bool is(const caf::error& e, supervisor_errc code) {
  return e && e.category() == caf::atom("supervisor") && e.code() == static_cast<uint8_t>(code);
}

template <class T>
struct reply {
  std::optional<T> value;
  caf::error error;
};

class SupervisorTest : public ::testing::Test {
 protected:
  SupervisorTest()
      : sys(test_support::deterministic_config(cfg)),
        sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {
    // A failed test must not hang in the system's destructor on a live actor.
    sys.await_actors_before_shutdown(false);
    log::set_sink([this](const std::string& line) { log_lines.push_back(line); });
  }

  ~SupervisorTest() override {
    for (auto& s : supervisors) caf::anon_send_exit(s, caf::exit_reason::kill);
    sched.run();
    log::set_sink(nullptr);
  }

  // Processes every queued message without letting any time pass.
  void drain() {
    while (sched.try_run_once()) {
    }
  }

  // Moves the actor clock forward, fires what fell due, processes the rest.
  void advance(caf::timespan d) {
    sched.advance_time(d);
    drain();
  }

  template <class T, class... Ts>
  std::shared_ptr<reply<T>> send_request(const caf::actor& dest, Ts... xs) {
    auto out = std::make_shared<reply<T>>();
    sys.spawn([=](caf::event_based_actor* probe) {
      probe->request(dest, caf::infinite, xs...)
          .then(
              [=](T& x) {
                out->value = std::move(x);
                probe->quit();
              },
              [=](caf::error& e) {
                out->error = std::move(e);
                probe->quit();
              });
    });
    drain();
    return out;
  }

  template <class T, class... Ts>
  T ask(const caf::actor& dest, Ts... xs) {
    auto r = send_request<T>(dest, xs...);
    EXPECT_FALSE(r->error) << to_string(r->error);
    EXPECT_TRUE(r->value.has_value()) << "no reply";
    return r->value.value_or(T{});
  }

  // Sends shutdown_atom; true once the (empty) reply came back.
  std::shared_ptr<bool> request_shutdown(const caf::actor& sup) {
    auto done = std::make_shared<bool>(false);
    sys.spawn([=](caf::event_based_actor* probe) {
      probe->request(sup, caf::infinite, shutdown_atom_v)
          .then(
              [=]() {
                *done = true;
                probe->quit();
              },
              [=](caf::error&) { probe->quit(); });
    });
    drain();
    return done;
  }

  // The reason `a` exits with, once it has.
  std::shared_ptr<std::optional<caf::error>> watch(const caf::actor& a) {
    auto out = std::make_shared<std::optional<caf::error>>();
    a->attach_functor([out](const caf::error& reason) { *out = reason; });
    return out;
  }

  child_spec worker_child(const std::string& name, restart_type restart = restart_type::permanent) {
    child_spec s;
    s.name = name;
    s.restart = restart;
    s.start = [this, name](caf::local_actor* sup) {
      return handles[name] = sup->spawn(worker, name, events);
    };
    return s;
  }

  supervisor_spec spec(const std::string& name, strategy st, std::vector<child_spec> children) {
    supervisor_spec s;
    s.name = name;
    s.restart_strategy = st;
    s.children = std::move(children);
    s.limits.backoff_min = 100ms;
    s.limits.backoff_max = 1s;
    s.backoff_jitter = 0.0;
    s.jitter_seed = 7;
    return s;
  }

  caf::actor start(supervisor_spec s) {
    auto sup = spawn_supervisor(sys, std::move(s), metrics);
    supervisors.push_back(sup);
    drain();
    return sup;
  }

  void send(const std::string& child, const std::string& cmd) {
    caf::anon_send(handles.at(child), cmd);
    drain();
  }

  // "name:state:restarts" for every child, in order.
  std::vector<std::string> states(const caf::actor& sup, const std::string& path = "") {
    std::vector<std::string> out;
    for (auto& c : ask<std::vector<child_status>>(sup, get_children_atom_v, path))
      out.push_back(c.name + ":" + to_string(c.state) + ":" + std::to_string(c.restarts));
    return out;
  }

  std::string state_of(const caf::actor& sup, const std::string& child) {
    for (auto& c : ask<std::vector<child_status>>(sup, get_children_atom_v))
      if (c.name == child) return to_string(c.state);
    return "absent";
  }

  // The events recorded since the last call.
  journal take_events() {
    journal out;
    out.swap(*events);
    return out;
  }

  double metric(const std::string& name, const metrics::labels& l) {
    return metrics.value(name, l);
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  metrics::registry metrics;
  std::shared_ptr<journal> events = std::make_shared<journal>();
  std::map<std::string, caf::actor> handles;
  std::vector<caf::actor> supervisors;
  std::vector<std::string> log_lines;
};

// -- order ---------------------------------------------------------------------

TEST_F(SupervisorTest, StartsChildrenInOrderAndStopsThemInReverseOnShutdown) {
  auto sup = start(spec("root", strategy::one_for_one,
                        {worker_child("a"), worker_child("b"), worker_child("c")}));
  EXPECT_EQ(take_events(), (journal{"start a", "start b", "start c"}));
  auto exit = watch(sup);
  auto done = request_shutdown(sup);
  EXPECT_TRUE(*done);
  EXPECT_EQ(take_events(), (journal{"stop c", "stop b", "stop a"}));
  ASSERT_TRUE(exit->has_value());
  EXPECT_FALSE(**exit) << to_string(**exit);
}

TEST_F(SupervisorTest, UserShutdownExitFromParentStopsGracefullyAndExitsNormally) {
  auto sup = start(spec("root", strategy::one_for_one, {worker_child("a"), worker_child("b")}));
  take_events();
  auto exit = watch(sup);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  drain();
  EXPECT_EQ(take_events(), (journal{"stop b", "stop a"}));
  ASSERT_TRUE(exit->has_value());
  EXPECT_FALSE(**exit) << to_string(**exit);
}

TEST_F(SupervisorTest, AbnormalExitFromParentStopsChildrenAndExitsWithThatReason) {
  auto sup = start(spec("root", strategy::one_for_one, {worker_child("a"), worker_child("b")}));
  take_events();
  auto exit = watch(sup);
  // What a crashed parent's link delivers.
  caf::anon_send(sup, caf::exit_msg{caf::actor_addr{}, caf::make_error(caf::sec::runtime_error)});
  drain();
  EXPECT_EQ(take_events(), (journal{"stop b", "stop a"}));
  ASSERT_TRUE(exit->has_value());
  EXPECT_EQ(**exit, caf::sec::runtime_error);
}

TEST_F(SupervisorTest, ChildrenDoNotOutliveAKilledSupervisor) {
  auto inner = spec("inner", strategy::one_for_one, {worker_child("deep")});
  auto sup = start(
      spec("root", strategy::one_for_one, {worker_child("a"), supervisor_child(inner, metrics)}));
  auto a = watch(handles.at("a"));
  auto deep = watch(handles.at("deep"));
  caf::anon_send_exit(sup, caf::exit_reason::kill);
  drain();
  ASSERT_TRUE(a->has_value());
  ASSERT_TRUE(deep->has_value());
  EXPECT_EQ(**a, caf::exit_reason::kill);
  EXPECT_EQ(**deep, caf::exit_reason::kill);
}

// -- strategies ------------------------------------------------------------------

TEST_F(SupervisorTest, OneForOneRestartsOnlyTheFailedChild) {
  auto sup = start(spec("root", strategy::one_for_one,
                        {worker_child("a"), worker_child("b"), worker_child("c")}));
  take_events();
  send("b", "crash");
  EXPECT_EQ(take_events(), (journal{"stop b"}));
  EXPECT_EQ(states(sup),
            (std::vector<std::string>{"a:running:0", "b:restarting:0", "c:running:0"}));
  advance(100ms);
  EXPECT_EQ(take_events(), (journal{"start b"}));
  EXPECT_EQ(states(sup), (std::vector<std::string>{"a:running:0", "b:running:1", "c:running:0"}));
}

TEST_F(SupervisorTest, OneForAllStopsTheOthersInReverseAndRestartsAllInOrder) {
  auto sup = start(spec("root", strategy::one_for_all,
                        {worker_child("a"), worker_child("b"), worker_child("c")}));
  take_events();
  send("b", "crash");
  EXPECT_EQ(take_events(), (journal{"stop b", "stop c", "stop a"}));
  EXPECT_EQ(states(sup),
            (std::vector<std::string>{"a:restarting:0", "b:restarting:0", "c:restarting:0"}));
  advance(99ms);
  EXPECT_TRUE(take_events().empty());
  advance(1ms);
  EXPECT_EQ(take_events(), (journal{"start a", "start b", "start c"}));
  EXPECT_EQ(states(sup), (std::vector<std::string>{"a:running:1", "b:running:1", "c:running:1"}));
}

TEST_F(SupervisorTest, RestForOneRestartsTheFailedChildAndThoseAfterIt) {
  auto sup =
      start(spec("root", strategy::rest_for_one,
                 {worker_child("a"), worker_child("b"), worker_child("c"), worker_child("d")}));
  take_events();
  send("b", "crash");
  EXPECT_EQ(take_events(), (journal{"stop b", "stop d", "stop c"}));
  advance(100ms);
  EXPECT_EQ(take_events(), (journal{"start b", "start c", "start d"}));
  EXPECT_EQ(states(sup),
            (std::vector<std::string>{"a:running:0", "b:running:1", "c:running:1", "d:running:1"}));
}

TEST_F(SupervisorTest, OneForAllDoesNotBringBackATemporarySibling) {
  auto sup = start(spec("root", strategy::one_for_all,
                        {worker_child("a"), worker_child("t", restart_type::temporary)}));
  take_events();
  send("a", "crash");
  advance(100ms);
  EXPECT_EQ(take_events(), (journal{"stop a", "stop t", "start a"}));
  EXPECT_EQ(states(sup), (std::vector<std::string>{"a:running:1", "t:stopped:0"}));
}

// -- restart types ---------------------------------------------------------------

TEST_F(SupervisorTest, PermanentChildIsRestartedAfterNormalAndAbnormalExit) {
  auto sup = start(spec("root", strategy::one_for_one, {worker_child("p")}));
  send("p", "quit");
  advance(100ms);
  EXPECT_EQ(state_of(sup, "p"), "running");
  send("p", "crash");
  advance(1s);
  EXPECT_EQ(states(sup), (std::vector<std::string>{"p:running:2"}));
}

TEST_F(SupervisorTest, TransientChildIsRestartedOnlyAfterAbnormalExit) {
  auto sup = start(spec("root", strategy::one_for_one,
                        {worker_child("crashes", restart_type::transient),
                         worker_child("finishes", restart_type::transient)}));
  send("crashes", "crash");
  send("finishes", "quit");
  advance(10s);
  EXPECT_EQ(states(sup), (std::vector<std::string>{"crashes:running:1", "finishes:stopped:0"}));
}

TEST_F(SupervisorTest, TransientChildStoppedWithUserShutdownIsNotRestarted) {
  auto sup =
      start(spec("root", strategy::one_for_one, {worker_child("t", restart_type::transient)}));
  caf::anon_send_exit(handles.at("t"), caf::exit_reason::user_shutdown);
  drain();
  advance(10s);
  EXPECT_EQ(states(sup), (std::vector<std::string>{"t:stopped:0"}));
}

TEST_F(SupervisorTest, TemporaryChildIsNeverRestarted) {
  auto sup = start(spec("root", strategy::one_for_one,
                        {worker_child("crashes", restart_type::temporary),
                         worker_child("finishes", restart_type::temporary)}));
  send("crashes", "crash");
  send("finishes", "quit");
  advance(10s);
  EXPECT_EQ(states(sup), (std::vector<std::string>{"crashes:stopped:0", "finishes:stopped:0"}));
  EXPECT_EQ(take_events(),
            (journal{"start crashes", "start finishes", "stop crashes", "stop finishes"}));
}

TEST_F(SupervisorTest, CrashedChildComesBackWithFreshState) {
  auto sup = start(spec("root", strategy::one_for_one, {worker_child("counter")}));
  auto first = handles.at("counter");
  EXPECT_EQ(ask<int>(first, std::string("count")), 1);
  EXPECT_EQ(ask<int>(first, std::string("count")), 2);
  EXPECT_EQ(ask<int>(first, std::string("count")), 3);
  send("counter", "crash");
  advance(100ms);
  auto second = handles.at("counter");
  EXPECT_NE(first, second);
  EXPECT_EQ(ask<int>(second, std::string("count")), 1);
  EXPECT_EQ(state_of(sup, "counter"), "running");
}

TEST_F(SupervisorTest, FailedStartIsRetriedWithBackoff) {
  auto attempts = std::make_shared<int>(0);
  child_spec flaky;
  flaky.name = "flaky";
  flaky.start = [this, attempts](caf::local_actor* sup) -> caf::actor {
    ++*attempts;
    if (*attempts == 1) return caf::actor{};
    if (*attempts == 2) throw std::runtime_error("no connection");
    return sup->spawn(worker, "flaky", events);
  };
  auto sup = start(spec("root", strategy::one_for_one, {std::move(flaky)}));
  EXPECT_EQ(*attempts, 1);
  EXPECT_EQ(state_of(sup, "flaky"), "restarting");
  advance(100ms);
  EXPECT_EQ(*attempts, 2);
  EXPECT_EQ(state_of(sup, "flaky"), "restarting");
  advance(199ms);
  EXPECT_EQ(*attempts, 2);
  advance(1ms);
  EXPECT_EQ(*attempts, 3);
  EXPECT_EQ(state_of(sup, "flaky"), "running");
}

// -- backoff -----------------------------------------------------------------------

TEST_F(SupervisorTest, BackoffDelaysGrowUpToTheMaximumAndResetAfterAQuietPeriod) {
  auto s = spec("root", strategy::one_for_one, {worker_child("w")});
  s.limits.max_restarts = 100;
  s.limits.backoff_max = 400ms;
  s.limits.backoff_reset = 5s;
  auto sup = start(std::move(s));
  auto expect_restart_after = [&](caf::timespan delay) {
    send("w", "crash");
    advance(delay - 1ms);
    EXPECT_EQ(state_of(sup, "w"), "restarting") << delay.count();
    advance(1ms);
    EXPECT_EQ(state_of(sup, "w"), "running") << delay.count();
  };
  expect_restart_after(100ms);
  expect_restart_after(200ms);
  expect_restart_after(400ms);
  expect_restart_after(400ms);
  advance(5s);
  expect_restart_after(100ms);
  expect_restart_after(200ms);
}

TEST_F(SupervisorTest, JitteredDelaysStayInBoundsAndFollowTheSeed) {
  auto delays = [&](const std::string& name) {
    auto s = spec(name, strategy::one_for_one, {worker_child(name + "-w")});
    s.limits.max_restarts = 100;
    s.backoff_jitter = 0.5;
    s.jitter_seed = 1234;
    auto sup = start(std::move(s));
    std::vector<caf::timespan> out;
    for (int i = 0; i < 4; ++i) {
      send(name + "-w", "crash");
      auto before = sched.clock().now();
      EXPECT_TRUE(sched.trigger_timeout());
      drain();
      EXPECT_EQ(state_of(sup, name + "-w"), "running");
      out.push_back(sched.clock().now() - before);
    }
    return out;
  };
  auto first = delays("one");
  auto second = delays("two");
  EXPECT_EQ(first, second);
  caf::timespan base = 100ms;
  for (auto d : first) {
    EXPECT_GT(d, base / 2);
    EXPECT_LE(d, base);
    base *= 2;
  }
}

// -- intensity and escalation ----------------------------------------------------

TEST_F(SupervisorTest, EscalatesThroughTwoLevelsWhenRestartsDoNotHelp) {
  auto inner = spec("inner", strategy::one_for_one, {worker_child("w")});
  inner.limits.max_restarts = 2;
  auto outer =
      spec("outer", strategy::one_for_one, {worker_child("x"), supervisor_child(inner, metrics)});
  outer.limits.max_restarts = 1;
  outer.limits.within = 60s;
  auto sup = start(std::move(outer));
  auto exit = watch(sup);
  auto crash_loop = [&] {
    for (int i = 0; i < 3; ++i) {
      send("w", "crash");
      advance(1s);
    }
  };

  crash_loop();  // the third crash is one restart too many for "inner"
  EXPECT_EQ(metric("vpnbot_supervisor_escalations_total", {{"supervisor", "inner"}}), 1);
  EXPECT_EQ(states(sup), (std::vector<std::string>{"x:running:0", "inner:running:1"}));
  EXPECT_EQ(states(sup, "inner"), (std::vector<std::string>{"w:running:0"}));
  EXPECT_FALSE(exit->has_value());

  take_events();
  crash_loop();  // "inner" fails again: one restart too many for "outer"
  ASSERT_TRUE(exit->has_value());
  EXPECT_EQ(metric("vpnbot_supervisor_escalations_total", {{"supervisor", "outer"}}), 1);
  EXPECT_TRUE(is(**exit, supervisor_errc::restart_intensity_exceeded)) << to_string(**exit);
  auto text = to_string(**exit);
  EXPECT_NE(text.find("supervisor 'outer': child 'inner'"), std::string::npos) << text;
  EXPECT_NE(text.find("supervisor 'inner': child 'w'"), std::string::npos) << text;
  // Before failing, "outer" stopped the children it still had.
  auto ev = take_events();
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back(), "stop x");
  auto escalation_logged = false;
  for (auto& line : log_lines)
    escalation_logged |= line.find("restart intensity exceeded") != std::string::npos &&
                         line.find("\"outer\"") != std::string::npos;
  EXPECT_TRUE(escalation_logged);
}

TEST_F(SupervisorTest, EscalationStopsTheRemainingChildrenInReverseOrder) {
  auto s = spec("root", strategy::one_for_one,
                {worker_child("a"), worker_child("b"), worker_child("c")});
  s.limits.max_restarts = 0;
  auto sup = start(std::move(s));
  auto exit = watch(sup);
  take_events();
  send("a", "crash");
  EXPECT_EQ(take_events(), (journal{"stop a", "stop c", "stop b"}));
  ASSERT_TRUE(exit->has_value());
  EXPECT_TRUE(is(**exit, supervisor_errc::restart_intensity_exceeded)) << to_string(**exit);
}

// -- shutdown timeout --------------------------------------------------------------

TEST_F(SupervisorTest, ShutdownTimeoutKillsAChildThatIgnoresItsExit) {
  child_spec stuck;
  stuck.name = "stuck";
  stuck.shutdown_timeout = 2s;
  stuck.start = [this](caf::local_actor* sup) { return sup->spawn(stubborn, "stuck", events); };
  auto sup = start(spec("root", strategy::one_for_one,
                        {worker_child("a"), std::move(stuck), worker_child("b")}));
  take_events();
  auto exit = watch(sup);
  auto done = request_shutdown(sup);
  EXPECT_EQ(take_events(), (journal{"stop b"}));
  advance(2s - 1ms);
  EXPECT_EQ(states(sup),
            (std::vector<std::string>{"a:running:0", "stuck:stopping:0", "b:stopped:0"}));
  EXPECT_FALSE(*done);
  advance(1ms);
  EXPECT_EQ(take_events(), (journal{"stop stuck (exit_reason(kill))", "stop a"}));
  EXPECT_TRUE(*done);
  ASSERT_TRUE(exit->has_value());
  EXPECT_FALSE(**exit);
}

TEST_F(SupervisorTest, NestedSupervisorShutdownTimeoutCoversItsChildren) {
  auto inner = spec("inner", strategy::one_for_one, {worker_child("a"), worker_child("b")});
  inner.limits.child_shutdown_timeout = 3s;
  inner.children[1].shutdown_timeout = 10s;
  auto c = supervisor_child(inner, metrics);
  EXPECT_TRUE(c.is_supervisor);
  EXPECT_EQ(c.name, "inner");
  EXPECT_EQ(c.shutdown_timeout, caf::timespan{3s + 10s + 3s});
}

// -- queries -------------------------------------------------------------------------

TEST_F(SupervisorTest, ChildrenQueryReportsStatesAndRestartCountsAndReachesNestedSupervisors) {
  auto storage = spec("storage", strategy::one_for_one, {worker_child("db-1")});
  auto sup = start(
      spec("root", strategy::one_for_one, {supervisor_child(storage, metrics), worker_child("b")}));
  send("b", "crash");
  EXPECT_EQ(states(sup), (std::vector<std::string>{"storage:running:0", "b:restarting:0"}));
  advance(100ms);
  send("b", "crash");
  advance(200ms);
  EXPECT_EQ(states(sup), (std::vector<std::string>{"storage:running:0", "b:running:2"}));
  EXPECT_EQ(states(sup, "storage"), (std::vector<std::string>{"db-1:running:0"}));
  auto missing =
      send_request<std::vector<child_status>>(sup, get_children_atom_v, std::string("b"));
  EXPECT_TRUE(is(missing->error, supervisor_errc::no_such_child)) << to_string(missing->error);
}

TEST_F(SupervisorTest, ReadinessListsEveryChildNotRunningRecursively) {
  auto storage =
      spec("storage", strategy::one_for_one, {worker_child("db-1"), worker_child("db-2")});
  child_spec panel;
  panel.name = "panel";
  panel.reports_readiness = true;
  panel.start = [](caf::local_actor* sup) { return sup->spawn(breaker_open); };
  auto sup =
      start(spec("root", strategy::one_for_one,
                 {supervisor_child(storage, metrics), std::move(panel), worker_child("web")}));
  EXPECT_EQ(ask<readiness_report>(sup, readiness_atom_v).not_ready,
            (std::vector<std::string>{"root/panel: breaker open"}));
  send("db-2", "crash");
  send("web", "crash");
  EXPECT_EQ(ask<readiness_report>(sup, readiness_atom_v).not_ready,
            (std::vector<std::string>{"root/storage/db-2: restarting", "root/panel: breaker open",
                                      "root/web: restarting"}));
  advance(100ms);
  EXPECT_EQ(ask<readiness_report>(sup, readiness_atom_v).not_ready,
            (std::vector<std::string>{"root/panel: breaker open"}));
}

TEST_F(SupervisorTest, ReadinessReportsAChildThatDoesNotAnswerInsteadOfHanging) {
  child_spec slow;
  slow.name = "slow";
  slow.reports_readiness = true;
  slow.start = [](caf::local_actor* sup) { return sup->spawn(never_answers); };
  auto s = spec("root", strategy::one_for_one, {std::move(slow), worker_child("ok")});
  s.readiness_timeout = 500ms;
  auto sup = start(std::move(s));
  auto r = send_request<readiness_report>(sup, readiness_atom_v);
  EXPECT_FALSE(r->value.has_value());
  advance(499ms);
  EXPECT_FALSE(r->value.has_value());
  advance(1ms);
  ASSERT_TRUE(r->value.has_value());
  ASSERT_EQ(r->value->not_ready.size(), 1u);
  EXPECT_EQ(r->value->not_ready[0].rfind("root/slow: no readiness answer", 0), 0u)
      << r->value->not_ready[0];
}

// -- metrics -----------------------------------------------------------------------

TEST_F(SupervisorTest, MetricsCountRestartsAndTrackWhichChildrenAreUp) {
  auto sup = start(spec("root", strategy::one_for_one, {worker_child("a"), worker_child("b")}));
  metrics::labels a{{"supervisor", "root"}, {"child", "a"}};
  metrics::labels b{{"supervisor", "root"}, {"child", "b"}};
  metrics::labels root{{"supervisor", "root"}};
  EXPECT_EQ(metric("vpnbot_supervisor_children_running", root), 2);
  send("b", "crash");
  EXPECT_EQ(metric("vpnbot_supervisor_children_running", root), 1);
  EXPECT_EQ(metric("vpnbot_supervisor_child_up", b), 0);
  EXPECT_EQ(metric("vpnbot_supervisor_child_up", a), 1);
  advance(100ms);
  send("b", "quit");
  advance(200ms);
  EXPECT_EQ(metric("vpnbot_supervisor_restarts_total", b), 2);
  EXPECT_EQ(metric("vpnbot_supervisor_restarts_total", a), 0);
  EXPECT_EQ(metric("vpnbot_supervisor_child_up", b), 1);
  EXPECT_EQ(metric("vpnbot_supervisor_children_running", root), 2);
  EXPECT_EQ(metric("vpnbot_supervisor_escalations_total", root), 0);
  request_shutdown(sup);
  EXPECT_EQ(metric("vpnbot_supervisor_children_running", root), 0);
  EXPECT_EQ(metric("vpnbot_supervisor_child_up", a), 0);
}

TEST_F(SupervisorTest, LogsEachExitWithItsReasonAndEachRestart) {
  start(spec("root", strategy::one_for_one, {worker_child("a")}));
  log_lines.clear();
  send("a", "crash");
  advance(100ms);
  auto has = [&](const std::string& a, const std::string& b) {
    for (auto& line : log_lines)
      if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("child exited", "runtime_error")) << ::testing::PrintToString(log_lines);
  EXPECT_TRUE(has("child restart scheduled", "\"delay_ms\":100"))
      << ::testing::PrintToString(log_lines);
  EXPECT_TRUE(has("child restarted", "\"child\":\"a\"")) << ::testing::PrintToString(log_lines);
}

}  // namespace
}  // namespace vpnbot::supervision
