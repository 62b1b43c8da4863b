#pragma once

// Counts an operator looks at first (the admin screen, later the metrics).

#include <cstdint>
#include <pqxx/pqxx>

namespace vpnbot::db {

struct service_counts {
  int64_t users = 0;
  int64_t active_subscriptions = 0;
  int64_t pending_payments = 0;
};

service_counts count_service(pqxx::dbtransaction& tx);

}  // namespace vpnbot::db
