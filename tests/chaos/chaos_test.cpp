// The money path under chaos (docs/CHAOS.md): N users buy a plan through
// the real binary with every provider, while their notifications are
// duplicated, reordered and lost, the binary is killed with SIGKILL and
// started again, the panel goes down and the database connections are cut.
// Once the faults stop and the system settles, consistency.sql returns no
// row, every payment made succeeded exactly once, and every payer holds a
// key on the panel and in the chat. The seed is printed first; CHAOS_SEED
// replays a run.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "chaos/buyer.hpp"
#include "chaos/chaos_checks.hpp"
#include "chaos/chaos_profile.hpp"
#include "chaos/delivery_pool.hpp"
#include "chaos/fault_injector.hpp"
#include "chaos/service_runner.hpp"
#include "support/test_database.hpp"

namespace vpnbot::chaos {
namespace {

using namespace std::chrono_literals;

constexpr int64_t first_user = 500000;

struct provider_figures {
  int paid = 0;
  int succeeded = 0;
  int lost = 0;  // notifications never delivered
};

// The service's warnings and errors by component and message, most frequent
// first: what the faults made it say; each error in full.
void print_complaints(const std::vector<std::string>& lines) {
  std::map<std::string, int> counts;
  for (const auto& line : lines) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j.value("level", "") == "error") std::cout << "[ error   ] " << line << "\n";
    ++counts[j.value("level", "") + " " + j.value("component", "") + ": " + j.value("message", "")];
  }
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [what, n] : counts) sorted.emplace_back(n, what);
  std::sort(sorted.rbegin(), sorted.rend());
  for (const auto& [n, what] : sorted) std::cout << "[ logged  ] " << n << " x " << what << "\n";
}

// One buyer's lot, drawn from the run's seed and the buyer alone, so a
// replay makes the same choices whatever the threads' timing.
struct lot {
  const payment_route* route;
  int copies;
  bool lost;
};

lot draw_lot(const chaos_profile& p, int buyer) {
  std::mt19937_64 rng(p.seed * 1000003 + static_cast<uint64_t>(buyer));
  std::uniform_real_distribution<double> share(0, 1);
  const auto& routes = payment_routes();
  lot l{&routes[rng() % routes.size()], 1, false};
  if (share(rng) < p.duplicate_share) l.copies += 1 + static_cast<int>(rng() % 3);
  l.lost = l.route->watcher_finds_lost && share(rng) < p.lost_share;
  return l;
}

TEST(Chaos, MoneyPathHoldsThroughKillsAndFaults) {
  if (!testing_support::test_database_url())
    GTEST_SKIP() << "no test PostgreSQL: run through scripts/chaos.sh";
  auto profile = profile_from_environment();
  std::cout << "[ chaos ] " << describe(profile) << " (replay with CHAOS_SEED=" << profile.seed
            << ")" << std::endl;
  auto started = std::chrono::steady_clock::now();

  chaos_world world;
  auto dir =
      std::filesystem::temp_directory_path() / ("vpnbot-chaos-" + std::to_string(::getpid()));
  service_runner service({"--config", write_panel_config(world, dir)}, service_environment(world),
                         free_loopback_port());
  service.start();
  delivery_pool deliveries(world.telegram, service.port(), profile.seed);
  std::vector<made_payment> made;
  std::vector<std::string> stalled;
  std::map<std::string, provider_figures> by_provider;
  {
    auto faults = std::make_unique<fault_injector>(profile, world, service);
    std::mutex mutex;
    std::atomic<int> next_buyer{0};
    std::atomic<int> started_over{0};
    std::vector<std::thread> buyers;
    for (int t = 0; t < profile.buyers_at_once; ++t)
      buyers.emplace_back([&] {
        for (int b; (b = next_buyer++) < profile.payments;) {
          auto l = draw_lot(profile, b);
          auto user = first_user + b;
          purchase bought;
          try {
            bought = buy_plan(world, *l.route, user);
            for (int again = 0; bought.invoice_in_doubt && again < 3; ++again) {
              ++started_over;
              bought = buy_plan(world, *l.route, user);
            }
          } catch (const std::exception& e) {
            bought.stalled_at = std::string("answer, the driver failed: ") + e.what();
          }
          std::lock_guard guard{mutex};
          if (!bought.paid) {
            stalled.push_back("user " + std::to_string(user) + " (" + l.route->provider + "): no " +
                              bought.stalled_at);
            continue;
          }
          made.push_back({user, l.route->provider, bought.paid->payment_id});
          ++by_provider[l.route->provider].paid;
          if (l.lost)
            ++by_provider[l.route->provider].lost;
          else
            deliveries.submit(bought.paid->paid, l.copies, 3s);
          faults->paid();
        }
      });
    for (auto& b : buyers) b.join();
    faults->buying_over();
    faults->wait_until_done();
    EXPECT_TRUE(deliveries.drain(profile.settle_timeout)) << "notifications still refused";
    auto fault_figures = faults->figures();
    auto settle_deadline = std::chrono::steady_clock::now() + profile.settle_timeout;
    while (std::chrono::steady_clock::now() < settle_deadline && !settled(world, made))
      std::this_thread::sleep_for(500ms);
    auto settled_after = std::chrono::steady_clock::now() - started;

    auto broken = run_consistency_query(world.db, VPNBOT_CHAOS_CONSISTENCY_SQL);
    for (auto& b : check_what_the_driver_sees(world, made)) broken.push_back(std::move(b));
    faults.reset();  // nothing restarts the binary any more
    auto exit_code = service.stop();

    for (auto& [provider, f] : by_provider)
      f.succeeded = std::stoi(world.db.scalar(
          "SELECT count(*) FROM payments WHERE status = 'succeeded' AND provider = '" + provider +
          "'"));
    auto d = deliveries.figures();
    std::cout << "[ figures ] payments made: " << made.size() << " of " << profile.payments
              << ", stalled orders: " << stalled.size()
              << ", started over (invoice left in doubt by a kill): " << started_over << "\n";
    for (const auto& [provider, f] : by_provider)
      std::cout << "[ figures ]   " << provider << ": paid " << f.paid << ", succeeded "
                << f.succeeded << ", notifications lost " << f.lost << "\n";
    std::cout << "[ figures ] kills: " << fault_figures.kills
              << ", unexpected exits: " << fault_figures.unexpected_exits
              << ", database cuts: " << fault_figures.database_cuts << " ("
              << fault_figures.connections_cut << " connections)"
              << ", PostgreSQL restarts: " << fault_figures.postgres_restarts
              << ", panel outages: " << fault_figures.panel_outages << " of "
              << profile.panel_down.count()
              << " s, provider API outages: " << fault_figures.provider_outages << " of "
              << profile.providers_down.count() << " s\n";
    std::cout << "[ figures ] deliveries answered: " << d.delivered
              << ", duplicates: " << d.duplicates << ", refused and retried: " << d.retries << "\n";
    std::cout << "[ figures ] settled after "
              << std::chrono::duration_cast<std::chrono::seconds>(settled_after).count()
              << " s; warnings and errors logged: " << service.complaints().size()
              << "; broken invariants: " << broken.size() << std::endl;

    print_complaints(service.complaints());
    EXPECT_EQ(exit_code, 0);
    EXPECT_TRUE(stalled.empty()) << stalled.size() << " stalled, first: " << stalled.front();
    for (const auto& b : broken) ADD_FAILURE() << b.name << ": " << b.detail;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vpnbot::chaos
