// A pass over the panels: each running panel once, stopped ones skipped and
// reported, no second pass while one runs, a new one after the last panel or
// after an abandoned pass. On CAF's deterministic test coordinator: time
// moves only when the test advances the actor clock.

#include "actors/panel/panel_pass.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <optional>

#include "adapters/metrics/registry.hpp"
#include "messages/type_ids.hpp"
#include "support/deterministic_system.hpp"

namespace vpnbot::activation {
namespace {

using namespace std::chrono_literals;

class PanelPass : public ::testing::Test {
 protected:
  PanelPass()
      : sys(test_support::deterministic_config(cfg)),
        sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {
    sys.await_actors_before_shutdown(false);
    running = sys.spawn([]() -> caf::behavior { return {[](int) {}}; });
  }

  ~PanelPass() override {
    caf::anon_send_exit(pass, caf::exit_reason::kill);
    caf::anon_send_exit(running, caf::exit_reason::kill);
    sched.run();
  }

  void drain() {
    while (sched.try_run_once()) {
    }
  }

  void advance(caf::timespan d) {
    sched.advance_time(d);
    drain();
  }

  // A pass over a, b (not running) and c; `hold` keeps the pass at a panel
  // until the test lets it go on.
  void start(std::optional<std::string> hold = std::nullopt) {
    panel_pass_config c;
    c.kind = "test_pass";
    c.interval = 10s;
    c.registry = &registry;
    // The pass never sends to a panel itself: a stand-in serves.
    auto stand_in = caf::actor_cast<panel_actor>(running);
    c.panels = {{"a", make_slot<panel_actor>()},
                {"b", make_slot<panel_actor>()},
                {"c", make_slot<panel_actor>()}};
    c.panels["a"]->set(stand_in);
    c.panels["c"]->set(stand_in);
    c.skipped = [this](const std::string& n) { skipped.push_back(n); };
    c.visit = [this, hold](caf::event_based_actor*, const std::string& n, const panel_actor& a,
                           pass_step step) {
      EXPECT_EQ(caf::actor_cast<caf::actor>(a), running);
      visited.push_back(n);
      if (hold == n)
        held.emplace(step);
      else
        step.next();
    };
    pass = spawn_panel_pass(sys, std::move(c));
    drain();
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  metrics::registry registry;
  caf::actor running;
  caf::actor pass;
  std::vector<std::string> visited, skipped;
  std::optional<pass_step> held;
};

TEST_F(PanelPass, EachRunningPanelOnceAndStoppedOnesReported) {
  start();
  EXPECT_TRUE(visited.empty());  // the first pass waits one interval
  advance(10s);
  std::sort(visited.begin(), visited.end());
  EXPECT_EQ(visited, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(skipped, (std::vector<std::string>{"b"}));
  advance(10s);  // the pass ended with the last panel: the next one runs
  EXPECT_EQ(visited.size(), 4u);
  EXPECT_EQ(registry.value("vpnbot_actor_messages_total", {{"kind", "test_pass"}}), 6);
}

TEST_F(PanelPass, NoSecondPassWhileOneRuns) {
  start("a");
  advance(10s);
  ASSERT_TRUE(held);
  auto before = visited.size();
  advance(10s);
  advance(10s);
  EXPECT_EQ(visited.size(), before);  // still at "a"
  held->next();
  drain();
  std::sort(visited.begin(), visited.end());
  EXPECT_EQ(visited, (std::vector<std::string>{"a", "c"}));
}

TEST_F(PanelPass, AnAbandonedPassLetsTheNextOneBegin) {
  start("c");
  advance(10s);
  ASSERT_TRUE(held);
  auto seen = visited.size();
  held->abandon();
  held.reset();
  advance(10s);
  EXPECT_GT(visited.size(), seen);  // a new pass began at the next tick
}

}  // namespace
}  // namespace vpnbot::activation
