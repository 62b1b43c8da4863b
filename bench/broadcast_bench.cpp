// Broadcast send rate through the real binary against the Bot API emulator:
// a broadcast to N recipients at the default telegram.global_rate (30/s),
// then a paid one (allow_paid_broadcast, telegram's paid rate 1000/s).
// Prints msg/s (first to last delivery), the busiest second and the 429s.
//
//   pg_virtualenv -t -v 15 ./build/bench/bench_broadcast_bench [vpnbot binary] [free N] [paid N]

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/db/migrations.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "domain/broadcasts/broadcast_control.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using namespace vpnbot;
using namespace vpnbot::emulators;
using namespace vpnbot::testing_support;
using time_point = std::chrono::steady_clock::time_point;

int busiest_second(const std::vector<time_point>& at) {
  int most = 0;
  for (std::size_t i = 0, j = 0; i < at.size(); ++i) {
    while (at[j] + 1s <= at[i]) ++j;
    most = std::max(most, static_cast<int>(i - j + 1));
  }
  return most;
}

void run(const std::string& name, int recipients, bool paid) {
  bot_api_emulator emu;
  auto url = create_fresh_database("broadcast_bench");
  if (auto migrated = db::migrate(url); !migrated)
    throw std::runtime_error("migrations: " + caf::to_string(migrated.error()));
  auto env = service_env(url, emu);
  {
    service_process service({}, env);
    int64_t id = 0;
    {
      pqxx::connection c(url);
      pqxx::work tx(c);
      tx.exec_params(
          "INSERT INTO users (telegram_id, referral_code)"
          " SELECT g, 'ref' || g FROM generate_series(100000::bigint, $1::bigint) g",
          100000 + recipients - 1);
      auto r = broadcasts::create(tx, {.text = "<b>bench</b>", .paid = paid});
      if (!r) throw std::runtime_error(r.error().message);
      id = r->id;
      tx.commit();
    }
    auto deadline = std::chrono::steady_clock::now() + 30min;
    for (;;) {
      pqxx::connection c(url);
      pqxx::work tx(c);
      auto p = broadcasts::progress_of(tx, id);
      if (p && p->state == broadcasts::run_state::done) break;
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("timed out");
      std::this_thread::sleep_for(100ms);
    }
    std::vector<time_point> at;
    int flooded = 0;
    for (const auto& call : emu.calls("sendMessage")) {
      if (call.status == 429) ++flooded;
      if (call.status == 200) at.push_back(call.at);
    }
    auto seconds =
        at.size() > 1 ? std::chrono::duration<double>(at.back() - at.front()).count() : 0;
    std::cout << name << ": " << recipients << " recipients, " << at.size() << " delivered in "
              << seconds << " s = " << (seconds > 0 ? (at.size() - 1) / seconds : 0)
              << " msg/s, busiest second " << busiest_second(at) << ", 429s " << flooded
              << std::endl;
    service.signal(SIGTERM);
    service.wait_exit(30s);
  }
  drop_database(url.substr(url.rfind('/') + 1));
}

}  // namespace

int main(int argc, char** argv) {
  ::setenv("VPNBOT_BINARY", argc > 1 ? argv[1] : "build/vpnbot", 1);
  if (!test_database_url()) {
    std::cerr << "no PostgreSQL: run under pg_virtualenv -t -v 15\n";
    return 2;
  }
  try {
    run("free broadcast (global_rate 30)", argc > 2 ? std::atoi(argv[2]) : 300, false);
    run("paid broadcast (paid rate 1000)", argc > 3 ? std::atoi(argv[3]) : 5000, true);
  } catch (const std::exception& e) {
    std::cerr << "bench failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
