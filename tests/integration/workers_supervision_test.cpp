// A worker whose every iteration throws: restarted with growing backoff,
// then its supervisor gives up — visible in the metrics — while the rest of
// the tree (here the storage subtree) keeps working.

#include <gtest/gtest.h>

#include <caf/all.hpp>

#include "actors/storage/db_request.hpp"
#include "actors/storage/storage_supervisor.hpp"
#include "actors/supervisor.hpp"
#include "actors/workers/periodic_worker.hpp"
#include "adapters/emulators/http_call.hpp"
#include "messages/type_ids.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::workers {
namespace {

using namespace std::chrono_literals;

struct WorkersSupervision : testing_support::fresh_database {};

TEST_F(WorkersSupervision, AWorkerThatAlwaysThrowsEscalatesAndTheRestKeepsWorking) {
  migrate_schema();
  metrics::registry registry;
  components wiring;
  config::settings s;
  s.database.url = url;
  s.supervision.max_restarts = 3;
  s.supervision.within = 10s;
  s.supervision.backoff_min = 20ms;
  s.supervision.backoff_max = 1s;
  caf::actor_system_config cfg;
  register_message_types(cfg);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  caf::actor_system sys{cfg};

  std::vector<std::chrono::steady_clock::time_point> attempts;
  std::mutex m;
  supervision::supervisor_spec workers;
  workers.name = "workers";
  workers.limits = s.supervision;
  workers.jitter_seed = 1;
  workers.backoff_jitter = 0;
  supervision::child_spec boom;
  boom.name = "boom";
  boom.start = [&](caf::local_actor* sup) {
    periodic_worker_config wc;
    wc.name = "boom";
    wc.interval = 10ms;
    wc.registry = &registry;
    wc.wiring = wiring;
    wc.step = [&](pqxx::dbtransaction&, auto) -> step_report {
      std::lock_guard<std::mutex> lock(m);
      attempts.push_back(std::chrono::steady_clock::now());
      throw std::runtime_error("this worker always fails");
    };
    return spawn_periodic_worker(sup->system(), wc);
  };
  workers.children.push_back(boom);
  auto workers_child = supervision::supervisor_child(workers, registry);
  workers_child.restart = supervision::restart_type::temporary;

  supervision::supervisor_spec root;
  root.name = "root";
  root.limits = s.supervision;
  root.children.push_back(storage::storage_child(s, url, wiring, registry));
  root.children.push_back(workers_child);
  auto root_actor = supervision::spawn_supervisor(sys, root, registry);

  auto deadline = std::chrono::steady_clock::now() + 20s;
  auto metrics_text = [&] { return registry.render(); };
  while (std::chrono::steady_clock::now() < deadline &&
         metrics_text().find("vpnbot_supervisor_escalations_total{supervisor=\"workers\"} 1") ==
             std::string::npos)
    std::this_thread::sleep_for(20ms);
  auto text = metrics_text();
  EXPECT_NE(text.find("vpnbot_supervisor_escalations_total{supervisor=\"workers\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vpnbot_worker_failures_total{worker=\"boom\"} 4"), std::string::npos)
      << text;
  EXPECT_NE(text.find("vpnbot_supervisor_child_up{supervisor=\"root\",child=\"workers\"} 0"),
            std::string::npos)
      << text;
  {
    std::lock_guard<std::mutex> lock(m);
    ASSERT_EQ(attempts.size(), 4u);  // the first run and three restarts
    // Growing backoff between the restarts.
    auto gap1 = attempts[2] - attempts[1];
    auto gap2 = attempts[3] - attempts[2];
    EXPECT_GT(gap2, gap1);
  }
  // The storage subtree still answers.
  caf::scoped_actor self{sys};
  auto r = storage::db_run<int>(
      self, wiring.db, "ping",
      [](pqxx::dbtransaction& tx) { return tx.exec1("SELECT 7")[0].as<int>(); }, 5s);
  ASSERT_TRUE(r) << to_string(r.error());
  EXPECT_EQ(*r, 7);
  caf::anon_send_exit(root_actor, caf::exit_reason::user_shutdown);
}

// The same in the whole service: the housekeeping worker fails on every
// iteration (its DELETE is refused), escalates, and /metrics over HTTP says
// so, while the bot goes on answering.
TEST_F(WorkersSupervision, ABrokenWorkerInTheServiceEscalatesAndTheBotKeepsAnswering) {
  emulators::bot_api_emulator emu;
  auto s = testing_support::bot_test_settings(url, emu);
  s.workers.interval = 20ms;
  s.supervision.max_restarts = 2;
  s.supervision.within = 30s;
  s.supervision.backoff_min = 10ms;
  s.supervision.backoff_max = 100ms;
  testing_support::bot_harness bot(s);
  bot.query(
      "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN RAISE EXCEPTION 'housekeeping refused for the test'; END $$; "
      "CREATE TRIGGER refuse_cleanup BEFORE DELETE ON telegram_outbox "
      "FOR EACH STATEMENT EXECUTE FUNCTION refuse(); SELECT 1");
  auto port = bot.http_port();
  ASSERT_NE(port, 0);
  auto metrics = [&] { return emulators::http_call(port, "GET", "/metrics").body; };
  ASSERT_TRUE(testing_support::eventually(
      [&] {
        return metrics().find("vpnbot_supervisor_escalations_total{supervisor=\"workers\"} 1") !=
               std::string::npos;
      },
      20s))
      << metrics();
  auto text = metrics();
  EXPECT_NE(text.find("vpnbot_worker_failures_total{worker=\"housekeeping\"} 3"), std::string::npos)
      << text;
  EXPECT_NE(text.find("vpnbot_supervisor_child_up{supervisor=\"root\",child=\"workers\"} 0"),
            std::string::npos)
      << text;
  emu.push_text(77, "/start");
  EXPECT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  EXPECT_EQ(emulators::http_call(port, "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace vpnbot::workers
