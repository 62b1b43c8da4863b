#pragma once

// Traffic figures of subscriptions, as read from their panel (see
// migration 0010).

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

struct traffic_reading {
  int64_t subscription_id = 0;
  std::string client_email;
  int64_t used_bytes = 0;
};

// Stores the readings of one panel in one statement; a reading counts only
// for the subscription that owns that email on that panel. Emails are as
// panel::client_email writes them (no commas). Returns how many rows
// changed.
int64_t record_traffic(pqxx::dbtransaction& tx, const std::string& panel,
                       const std::vector<traffic_reading>& readings);

struct traffic_figures {
  int64_t used_bytes = 0;
  int64_t limit_bytes = 0;  // 0: unlimited
};

// nullopt until the subscription's first reading.
std::optional<traffic_figures> traffic_of(pqxx::dbtransaction& tx, int64_t subscription_id);

}  // namespace vpnbot::db
