// Database calls per second through the supervised pool (db_pool + detached
// db_workers) for several pool sizes: each call is one small transaction
// (an INSERT into audit_log). Needs a PostgreSQL: run it under pg_virtualenv
// or give VPNBOT_DATABASE_URL. Prints its figures; asserts nothing.
//
//   pg_virtualenv -t -v 15 ./build/bench/bench_db_pool_bench [calls]

#include <caf/all.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "actors/storage/db_request.hpp"
#include "actors/storage/storage_supervisor.hpp"
#include "actors/supervisor.hpp"
#include "adapters/db/migrations.hpp"
#include "messages/type_ids.hpp"

namespace {

std::string database_url() {
  if (const char* url = std::getenv("VPNBOT_DATABASE_URL")) return url;
  const char* host = std::getenv("PGHOST");
  const char* port = std::getenv("PGPORT");
  const char* user = std::getenv("PGUSER");
  const char* password = std::getenv("PGPASSWORD");
  if (!host || !port) return {};
  return std::string("postgresql://") + (user ? user : "postgres") +
         (password ? std::string(":") + password : "") + "@" + host + ":" + port + "/postgres";
}

}  // namespace

int main(int argc, char** argv) {
  int calls = argc > 1 ? std::atoi(argv[1]) : 5000;
  auto url = database_url();
  if (url.empty()) {
    std::fprintf(stderr, "no database: run under pg_virtualenv or set VPNBOT_DATABASE_URL\n");
    return 2;
  }
  if (auto m = vpnbot::db::migrate(url); !m) {
    std::fprintf(stderr, "migration failed: %s\n", caf::to_string(m.error()).c_str());
    return 1;
  }
  std::printf("db_pool_bench: %d calls (one INSERT transaction each), %u cores\n", calls,
              std::thread::hardware_concurrency());
  for (unsigned pool_size : {1u, 2u, 4u, 8u}) {
    caf::actor_system_config cfg;
    vpnbot::register_message_types(cfg);
    caf::actor_system sys{cfg};
    vpnbot::config::settings s;
    s.database.pool_size = pool_size;
    s.database.max_queue = static_cast<unsigned>(calls) + 1;
    s.database.request_timeout = std::chrono::minutes(5);
    vpnbot::supervision::supervisor_spec spec;
    spec.name = "bench";
    vpnbot::components wiring;
    spec.children.push_back(vpnbot::storage::storage_child(s, url, wiring));
    auto root = vpnbot::supervision::spawn_supervisor(sys, spec);
    caf::scoped_actor self{sys};
    // Wait until every worker is connected, so the figure is the steady state.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto call = vpnbot::storage::make_db_call("bench.insert", [](pqxx::dbtransaction& tx) {
      tx.exec("INSERT INTO audit_log (actor, action, subject) VALUES ('bench', 'insert', 'x')");
      return 1;
    });
    auto start = std::chrono::steady_clock::now();
    auto pool = wiring.db->get();
    for (int i = 0; i < calls; ++i) self->send(pool, call);
    int answered = 0;
    int failed = 0;
    self->receive_for(answered, calls)([](vpnbot::db_value&) {}, [&](caf::error&) { ++failed; });
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("pool_size %u: %8.0f calls/s  (%d failed)\n", pool_size, calls / seconds, failed);
    self->send_exit(root, caf::exit_reason::user_shutdown);
  }
  return 0;
}
