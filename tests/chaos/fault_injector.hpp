#pragma once

// The faults of a run, each at a random point of the buying (a share of
// the payments made, drawn from the seed), on a thread of its own: kill -9
// and restart of the binary (the last one as the last payment is made, while
// its notifications and activation jobs are still in flight), the panel down
// for a while, the providers' APIs answering 503 for a while, and every
// database connection of the service cut (or PostgreSQL restarted). It also
// restarts the binary when it exits by itself, as a process manager would.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "chaos/chaos_profile.hpp"
#include "chaos/chaos_world.hpp"
#include "chaos/service_runner.hpp"

namespace vpnbot::chaos {

struct fault_figures {
  int kills = 0;
  int database_cuts = 0;
  int connections_cut = 0;
  int postgres_restarts = 0;
  int panel_outages = 0;
  int provider_outages = 0;
  int unexpected_exits = 0;
};

class fault_injector {
 public:
  fault_injector(const chaos_profile& profile, chaos_world& world, service_runner& service);
  ~fault_injector();
  fault_injector(const fault_injector&) = delete;
  fault_injector& operator=(const fault_injector&) = delete;

  // One more payment was made.
  void paid() { ++paid_; }
  // No more payments will come: the faults still planned happen now.
  void buying_over() { buying_over_ = true; }
  // Blocks until every fault has happened and every outage is over.
  void wait_until_done();
  fault_figures figures() const;

 private:
  enum class fault_kind { kill, database_cut, panel_down, providers_down };
  struct fault {
    fault_kind kind;
    int after_payments;
  };
  void run();
  void inject(fault_kind kind);
  // Something down until a time, and how to bring it up.
  struct outage {
    std::string what;
    std::chrono::steady_clock::time_point until;
    std::function<void()> end;
  };
  void begin_outage(std::string what, std::chrono::seconds length, std::function<void()> end);

  chaos_world& world_;
  service_runner& service_;
  std::chrono::seconds panel_down_for_;
  std::chrono::seconds providers_down_for_;
  bool restart_postgres_;
  std::vector<fault> plan_;
  std::atomic<int> paid_{0};
  std::atomic<bool> buying_over_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> done_{false};
  std::vector<outage> outages_;
  mutable std::mutex mutex_;
  fault_figures figures_;
  std::thread thread_;
};

}  // namespace vpnbot::chaos
