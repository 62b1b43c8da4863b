#pragma once

// Notices before the end of a subscription: for paid ones one per configured
// offset (default 3 days and 1 day), each offset a band (a 1-day reminder is
// not also a 3-day one); for trials one "ending soon" notice. The dedupe key
// holds the expiry, so a renewal starts a fresh schedule for the new one.

#include <chrono>
#include <vector>

#include "domain/workers/notice.hpp"
#include "domain/workers/step.hpp"

namespace vpnbot::workers {

struct reminder_settings {
  std::vector<std::chrono::seconds> offsets{std::chrono::hours(72), std::chrono::hours(24)};
  std::chrono::seconds trial_notice_before{std::chrono::hours(24)};
};

step_report send_reminders(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                           const notice_context& ctx, const reminder_settings& settings);

// "2026-11-22T10:00:00Z" for SQL parameters.
std::string iso_utc(std::chrono::system_clock::time_point t);

}  // namespace vpnbot::workers
