#pragma once

// The configured 3x-ui panels as rows subscriptions can point at. Seeded
// from the configuration at every start; a panel that left the
// configuration is deactivated, never deleted (subscriptions refer to it).

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

struct panel_row {
  int64_t id = 0;
  std::string name;
  bool active = true;
};

int64_t upsert_panel(pqxx::dbtransaction& tx, const std::string& name, const std::string& base_url,
                     int64_t inbound_id);
void deactivate_panels_except(pqxx::dbtransaction& tx, const std::vector<std::string>& names);
std::optional<panel_row> find_panel_by_name(pqxx::dbtransaction& tx, const std::string& name);
std::optional<panel_row> find_panel_by_id(pqxx::dbtransaction& tx, int64_t id);
// Active panels by id: the locations a user may choose from.
std::vector<panel_row> active_panels(pqxx::dbtransaction& tx);
// The user's chosen location, if any; set_ with nullopt clears it.
std::optional<int64_t> preferred_panel(pqxx::dbtransaction& tx, int64_t user_id);
void set_preferred_panel(pqxx::dbtransaction& tx, int64_t user_id, std::optional<int64_t> panel_id);
// Of the named active panels, the one holding the fewest live subscriptions
// (ties: the lowest id); nullopt when none of them is active.
std::optional<panel_row> least_loaded_panel(pqxx::dbtransaction& tx,
                                            const std::vector<std::string>& names);

}  // namespace vpnbot::db
