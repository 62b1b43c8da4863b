#pragma once

// The plans (and panels) tables follow the configuration at every start: configured plans
// are inserted or updated (titles in every language the bot speaks, from the
// duration), plans no longer configured are deactivated, never deleted.

#include <pqxx/pqxx>
#include <vector>

#include "config/plan_catalog.hpp"
#include "config/settings.hpp"

namespace vpnbot::app {

void seed_plans(pqxx::dbtransaction& tx, const std::vector<config::plan_setting>& plans);

// The same for the configured panels (by name).
void seed_panels(pqxx::dbtransaction& tx, const std::vector<config::panel_settings>& panels);

}  // namespace vpnbot::app
