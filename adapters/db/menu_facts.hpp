#pragma once

// What the main menu shows besides its texts, read in one round trip: it is
// the most frequent reply (every /start and every unknown text), so its
// reads are one statement instead of three.

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

struct menu_facts {
  bool trial_on_offer = false;  // a trial plan is on sale and the user never had a trial
  int64_t active_panels = 0;    // more than one: the menu offers the location choice
};

menu_facts read_menu_facts(pqxx::dbtransaction& tx, int64_t user_id);

// The same two facts as columns of another statement, for the user whose
// id is the expression `user_id` (NULL: a user not stored yet), read by
// read_menu_facts_columns from column `first` on. The turn's first
// statement carries them (next_pending_update).
std::string menu_facts_columns(const std::string& user_id);
menu_facts read_menu_facts_columns(const pqxx::row& r, pqxx::row::size_type first);

}  // namespace vpnbot::db
