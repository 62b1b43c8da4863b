// One periodic worker in a running actor system with the storage subtree:
// what a successful iteration reports on the metrics (items, duration, the
// time of the worker's clock), and an iteration over its time budget ending
// the actor with an error for its supervisor.

#include <gtest/gtest.h>

#include <atomic>
#include <caf/all.hpp>
#include <cmath>
#include <memory>

#include "actors/storage/storage_supervisor.hpp"
#include "actors/supervisor.hpp"
#include "actors/workers/periodic_worker.hpp"
#include "messages/type_ids.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::workers {
namespace {

using namespace std::chrono_literals;
using testing_support::eventually;

struct WorkersIteration : testing_support::fresh_database {
  metrics::registry registry;
  components wiring;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::actor storage;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    register_message_types(cfg);
    cfg.set("logger.verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg);
    config::settings s;
    s.database.url = url;
    supervision::supervisor_spec root;
    root.name = "root";
    root.limits = s.supervision;
    root.children.push_back(storage::storage_child(s, url, wiring, registry));
    storage = supervision::spawn_supervisor(*sys, root, registry);
  }

  void TearDown() override {
    caf::anon_send_exit(storage, caf::exit_reason::user_shutdown);
    sys.reset();
    fresh_database::TearDown();
  }

  // 0 for a metric never written.
  double value(const std::string& name) const {
    auto v = registry.value(name, {{"worker", "w"}});
    return std::isnan(v) ? 0 : v;
  }
};

TEST_F(WorkersIteration, ASuccessfulIterationReportsItsItemsDurationAndClock) {
  auto moved = std::chrono::system_clock::time_point(std::chrono::seconds(1'900'000'000));
  // The step may still be running on a database actor after the worker has
  // been told to stop, so it shares nothing with this frame but these.
  auto runs = std::make_shared<std::atomic<int>>(0);
  auto wrong_clock = std::make_shared<std::atomic<int>>(0);
  periodic_worker_config wc;
  wc.name = "w";
  wc.interval = 20ms;
  wc.registry = &registry;
  wc.wiring = wiring;
  wc.clock = [moved] { return moved; };
  wc.step = [moved, runs, wrong_clock](pqxx::dbtransaction& tx, auto now) {
    if (now != moved)
      ++*wrong_clock;
    tx.exec("SELECT 1");
    step_report r;
    r.processed = 2;
    ++*runs;
    return r;
  };
  auto worker = spawn_periodic_worker(*sys, wc);
  ASSERT_TRUE(eventually([&] { return value("vpnbot_worker_items_total") >= 6; }));
  EXPECT_EQ(wrong_clock->load(), 0);
  EXPECT_EQ(value("vpnbot_worker_last_success_timestamp_seconds"), 1'900'000'000);
  EXPECT_EQ(value("vpnbot_worker_failures_total"), 0);
  auto text = registry.render();
  EXPECT_NE(text.find("vpnbot_worker_iteration_seconds_count{worker=\"w\"}"), std::string::npos)
      << text;
  caf::scoped_actor self{*sys};
  self->monitor(worker);
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
  self->receive([](caf::down_msg&) {},
                caf::after(10s) >> [] { ADD_FAILURE() << "the worker kept running"; });
  // One iteration at a time: the items are exactly two per finished run.
  EXPECT_GE(runs->load() * 2, static_cast<int>(value("vpnbot_worker_items_total")));
}

TEST_F(WorkersIteration, AnIterationOverItsBudgetEndsTheWorkerWithAnError) {
  periodic_worker_config wc;
  wc.name = "w";
  wc.interval = 20ms;
  wc.budget = 100ms;
  wc.registry = &registry;
  wc.wiring = wiring;
  wc.step = [](pqxx::dbtransaction& tx, auto) {
    tx.exec("SELECT pg_sleep(0.5)");
    return step_report{};
  };
  caf::scoped_actor self{*sys};
  auto worker = spawn_periodic_worker(*sys, wc);
  self->monitor(worker);
  caf::error reason;
  self->receive([&](caf::down_msg& d) { reason = d.reason; },
                caf::after(10s) >> [] { ADD_FAILURE() << "the worker kept running"; });
  EXPECT_TRUE(reason);
  EXPECT_EQ(value("vpnbot_worker_failures_total"), 1);
  EXPECT_EQ(value("vpnbot_worker_items_total"), 0);
}

}  // namespace
}  // namespace vpnbot::workers
