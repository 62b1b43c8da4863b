#pragma once

// Trims what only grows: handled Telegram updates, finished outbox rows and
// the admin API's remembered answers (api_idempotency) older than
// `keep_history` (kept that long for support and audits),
// provider notifications that failed their check (signature_ok = false:
// anyone can post those) older than `keep_unverified_webhooks`, and the
// conversation state of sessions idle longer than `session_ttl` (the next
// message starts at the main menu). Payments, ledger, verified webhook
// events and the audit log are never trimmed here; pending payments past
// their TTL are the payment_expiry worker's.

#include <chrono>
#include <pqxx/pqxx>

#include "domain/workers/step.hpp"

namespace vpnbot::workers {

struct housekeeping_settings {
  std::chrono::seconds keep_history{std::chrono::hours(24 * 7)};
  std::chrono::seconds session_ttl{std::chrono::hours(24 * 30)};
  std::chrono::seconds keep_unverified_webhooks{std::chrono::hours(24 * 7)};
  unsigned batch = 1000;  // rows of each kind one iteration removes at most
};

step_report keep_house(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                       const housekeeping_settings& settings);

}  // namespace vpnbot::workers
