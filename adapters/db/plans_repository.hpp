#pragma once

// Plans are seeded from configuration at start; the table is what the bot
// shows. A plan that left the configuration is deactivated, never deleted,
// because subscriptions and payments refer to it.

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

struct plan_definition {
  std::string code;
  std::map<std::string, std::string> titles;  // language → title; "en" required
  int duration_days = 0;
  int64_t traffic_limit_bytes = 0;  // 0: unlimited
  int device_limit = 0;             // 0: unlimited
  bool is_trial = false;
  int sort_order = 0;
  std::map<std::string, int64_t> prices;  // currency → minor units
  bool raw_link = false;  // the key carries the panel's own vless:// link (Remnawave)
};

struct plan_row {
  int64_t id = 0;
  plan_definition def;
  bool active = true;
};

// Inserts or updates the plan and replaces its prices; returns its id.
int64_t upsert_plan(pqxx::dbtransaction& tx, const plan_definition& plan);

// Deactivates every plan whose code is not in `codes`.
void deactivate_plans_except(pqxx::dbtransaction& tx, const std::vector<std::string>& codes);

std::vector<plan_row> active_plans(pqxx::dbtransaction& tx);
std::optional<plan_row> find_plan(pqxx::dbtransaction& tx, const std::string& code);
// Also an inactive one: subscriptions outlive the plans they were sold under.
std::optional<plan_row> find_plan_by_id(pqxx::dbtransaction& tx, int64_t id);

}  // namespace vpnbot::db
