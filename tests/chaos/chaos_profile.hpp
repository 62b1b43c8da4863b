#pragma once

// How hard one chaos run pushes (docs/CHAOS.md): the defaults are the short
// run CI makes; scripts/chaos.sh --long raises them through the CHAOS_*
// environment. The seed decides every random choice of the driver, so a
// failing run is replayed with CHAOS_SEED.

#include <chrono>
#include <cstdint>
#include <string>

namespace vpnbot::chaos {

struct chaos_profile {
  uint64_t seed = 0;
  int payments = 60;      // one buyer each
  int kills = 2;          // kill -9 and restart of the binary
  int database_cuts = 2;  // every connection of the service's database terminated
  // The database faults restart the PostgreSQL server instead: only where
  // the run has the server to itself (scripts/chaos.sh), not under a ctest
  // that shares it with other tests.
  bool restart_postgres = false;
  std::chrono::seconds panel_down{5};
  std::chrono::seconds providers_down{3};  // CryptoBot's and YooKassa's APIs answering 503
  double duplicate_share = 0.3;            // notifications delivered more than once
  double lost_share = 0.1;  // notifications never delivered, where a watcher can find them
  int buyers_at_once = 6;
  std::chrono::seconds settle_timeout{45};
};

// The defaults overridden by CHAOS_SEED, CHAOS_PAYMENTS, CHAOS_KILLS,
// CHAOS_DB_CUTS, CHAOS_PANEL_DOWN and CHAOS_PROVIDERS_DOWN (seconds), CHAOS_BUYERS, CHAOS_SETTLE
// (seconds), CHAOS_DB_FAULT (cut | restart); without CHAOS_SEED the seed is drawn from the system.
chaos_profile profile_from_environment();

std::string describe(const chaos_profile& p);

}  // namespace vpnbot::chaos
