#pragma once

// What the main menu shows besides its texts, read in one round trip: it is
// the most frequent reply (every /start and every unknown text), so its
// reads are one statement instead of three.

#include <cstdint>
#include <pqxx/pqxx>

namespace vpnbot::db {

struct menu_facts {
  bool trial_on_offer = false;  // a trial plan is on sale and the user never had a trial
  int64_t active_panels = 0;    // more than one: the menu offers the location choice
};

menu_facts read_menu_facts(pqxx::dbtransaction& tx, int64_t user_id);

}  // namespace vpnbot::db
