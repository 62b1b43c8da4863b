#include "chaos/chaos_profile.hpp"

#include <cstdlib>
#include <random>

namespace vpnbot::chaos {
namespace {

template <class T>
void override_from(const char* name, T& value) {
  if (const char* v = std::getenv(name); v && *v) value = static_cast<T>(std::stoull(v));
}

}  // namespace

chaos_profile profile_from_environment() {
  chaos_profile p;
  p.seed = std::random_device{}();
  override_from("CHAOS_SEED", p.seed);
  override_from("CHAOS_PAYMENTS", p.payments);
  override_from("CHAOS_KILLS", p.kills);
  override_from("CHAOS_DB_CUTS", p.database_cuts);
  override_from("CHAOS_BUYERS", p.buyers_at_once);
  int64_t seconds = p.panel_down.count();
  override_from("CHAOS_PANEL_DOWN", seconds);
  p.panel_down = std::chrono::seconds(seconds);
  seconds = p.providers_down.count();
  override_from("CHAOS_PROVIDERS_DOWN", seconds);
  p.providers_down = std::chrono::seconds(seconds);
  seconds = p.settle_timeout.count();
  override_from("CHAOS_SETTLE", seconds);
  p.settle_timeout = std::chrono::seconds(seconds);
  if (const char* v = std::getenv("CHAOS_DB_FAULT"))
    p.restart_postgres = std::string(v) == "restart";
  return p;
}

std::string describe(const chaos_profile& p) {
  return "seed=" + std::to_string(p.seed) + " payments=" + std::to_string(p.payments) +
         " kills=" + std::to_string(p.kills) + " db_faults=" + std::to_string(p.database_cuts) +
         (p.restart_postgres ? " (server restarts)" : " (connections cut)") +
         " panel_down=" + std::to_string(p.panel_down.count()) + "s" +
         " providers_down=" + std::to_string(p.providers_down.count()) + "s" +
         " buyers=" + std::to_string(p.buyers_at_once) +
         " settle=" + std::to_string(p.settle_timeout.count()) + "s";
}

}  // namespace vpnbot::chaos
