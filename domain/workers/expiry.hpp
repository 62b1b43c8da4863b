#pragma once

// Subscriptions past their expiry become `expired`: a disable_client job
// (the client stays on the panel, so a renewal re-enables the same key) and
// one notice (a trial gets the "trial ended" offer). After the retention
// period a remove_client job takes the client off the panel. Job keys hold
// the expiry, so each happens once per period.

#include <chrono>

#include "domain/workers/notice.hpp"
#include "domain/workers/step.hpp"

namespace vpnbot::workers {

struct expiry_settings {
  std::chrono::seconds retention{std::chrono::hours(24 * 30)};
};

step_report expire_subscriptions(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                                 const notice_context& ctx, const expiry_settings& settings);

}  // namespace vpnbot::workers
