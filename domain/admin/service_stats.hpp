#pragma once

// The operator's full picture in one read: users, subscriptions, revenue,
// payments, panel jobs and the Telegram outbox. Revenue counts payments
// that succeeded (refunded ones not), by the time they were finalized, and
// leaves out purchases paid from the balance (their money came as a top-up).

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::admin {

struct service_stats {
  int64_t users_total = 0;
  int64_t users_new_today = 0;  // since midnight UTC
  int64_t users_new_7d = 0;
  int64_t active_paid = 0;
  int64_t active_trials = 0;
  int64_t expiring_3d = 0;                       // active, ending within 3 days
  // currency -> minor units: payments finalized less refunds made since
  std::map<std::string, int64_t> revenue_today;
  std::map<std::string, int64_t> revenue_30d;
  std::map<std::string, int64_t> payments_by_status;
  int64_t jobs_waiting = 0;  // queued or running
  int64_t jobs_dead = 0;
  std::map<std::string, int64_t> outbox_queued;  // lane name -> queued or sending
};

service_stats collect_stats(pqxx::dbtransaction& tx);

nlohmann::json to_json(const service_stats& s);

}  // namespace vpnbot::admin
