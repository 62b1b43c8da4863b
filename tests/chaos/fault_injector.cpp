#include "chaos/fault_injector.hpp"

#include <algorithm>
#include <iostream>

namespace vpnbot::chaos {

using namespace std::chrono_literals;

fault_injector::fault_injector(const chaos_profile& profile, chaos_world& world,
                               service_runner& service)
    : world_(world),
      service_(service),
      panel_down_for_(profile.panel_down),
      providers_down_for_(profile.providers_down),
      restart_postgres_(profile.restart_postgres) {
  std::mt19937_64 rng(profile.seed ^ 0x5eedfa017ULL);
  auto somewhere = [&](double from, double to) {
    std::uniform_real_distribution<double> d(from, to);
    return static_cast<int>(d(rng) * profile.payments);
  };
  for (int i = 0; i + 1 < profile.kills; ++i)
    plan_.push_back({fault_kind::kill, somewhere(0.1, 0.95)});
  if (profile.kills > 0) plan_.push_back({fault_kind::kill, profile.payments});
  for (int i = 0; i < profile.database_cuts; ++i)
    plan_.push_back({fault_kind::database_cut, somewhere(0.1, 0.95)});
  if (profile.panel_down.count() > 0)
    plan_.push_back({fault_kind::panel_down, somewhere(0.2, 0.6)});
  if (profile.providers_down.count() > 0)
    plan_.push_back({fault_kind::providers_down, somewhere(0.1, 0.8)});
  std::stable_sort(plan_.begin(), plan_.end(), [](const fault& a, const fault& b) {
    return a.after_payments < b.after_payments;
  });
  thread_ = std::thread([this] { run(); });
}

fault_injector::~fault_injector() {
  stopping_ = true;
  thread_.join();
}

void fault_injector::run() {
  std::size_t next = 0;
  int paid_at_last_fault = -1;
  while (!stopping_) {
    if (service_.restart_if_exited()) {
      std::cout << "[ chaos ] the binary exited by itself; restarted" << std::endl;
      std::lock_guard guard{mutex_};
      ++figures_.unexpected_exits;
    }
    // One fault at a time, each after a payment made since the last one, so
    // faults due while a restart was under way do not pile up.
    if (next < plan_.size() &&
        (buying_over_ || (paid_ >= plan_[next].after_payments && paid_ > paid_at_last_fault))) {
      paid_at_last_fault = paid_;
      inject(plan_[next++].kind);
    }
    auto now = std::chrono::steady_clock::now();
    for (auto it = outages_.begin(); it != outages_.end();) {
      if (now < it->until) {
        ++it;
        continue;
      }
      it->end();
      std::cout << "[ chaos ] " << it->what << " up again" << std::endl;
      it = outages_.erase(it);
    }
    if (next == plan_.size() && outages_.empty()) done_ = true;
    std::this_thread::sleep_for(20ms);
  }
  for (auto& o : outages_) o.end();
}

void fault_injector::begin_outage(std::string what, std::chrono::seconds length,
                                  std::function<void()> end) {
  std::cout << "[ chaos ] " << what << " down for " << length.count() << " s after " << paid_
            << " payments" << std::endl;
  outages_.push_back({std::move(what), std::chrono::steady_clock::now() + length, std::move(end)});
}

void fault_injector::inject(fault_kind kind) {
  auto at = std::to_string(paid_.load());
  switch (kind) {
    case fault_kind::kill: {
      service_.kill_and_restart();
      std::cout << "[ chaos ] kill -9 and restart after " << at << " payments" << std::endl;
      std::lock_guard guard{mutex_};
      ++figures_.kills;
      break;
    }
    case fault_kind::database_cut: {
      if (restart_postgres_) {
        auto restarted = world_.db.restart_server();
        std::cout << "[ chaos ] PostgreSQL restarted after " << at << " payments"
                  << (restarted ? "" : " (the restart FAILED)") << std::endl;
        std::lock_guard guard{mutex_};
        if (restarted) ++figures_.postgres_restarts;
        break;
      }
      auto cut = world_.db.cut_connections();
      std::cout << "[ chaos ] " << cut << " database connections cut after " << at << " payments"
                << std::endl;
      std::lock_guard guard{mutex_};
      ++figures_.database_cuts;
      figures_.connections_cut += cut;
      break;
    }
    case fault_kind::panel_down: {
      world_.panel.set_down(true);
      begin_outage("panel", panel_down_for_, [this] { world_.panel.set_down(false); });
      std::lock_guard guard{mutex_};
      ++figures_.panel_outages;
      break;
    }
    case fault_kind::providers_down: {
      set_provider_apis_down(world_, true);
      begin_outage("provider APIs", providers_down_for_,
                   [this] { set_provider_apis_down(world_, false); });
      std::lock_guard guard{mutex_};
      ++figures_.provider_outages;
      break;
    }
  }
}

void fault_injector::wait_until_done() {
  while (!done_) std::this_thread::sleep_for(20ms);
}

fault_figures fault_injector::figures() const {
  std::lock_guard guard{mutex_};
  return figures_;
}

}  // namespace vpnbot::chaos
