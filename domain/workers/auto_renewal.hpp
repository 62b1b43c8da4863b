#pragma once

// Subscriptions with auto-renew on that end within the window are renewed
// from the balance: ledger debit + extension + extend_client job + notice in
// one transaction, keyed by (subscription, expiry being renewed), so a
// period is bought at most once whatever the retries. A short balance gets
// one notice per period with a Top up button; after that the row is taken
// again only once the balance covers the price, so a top-up in time still
// renews and short balances (or plans without a price in the balance's
// currency, never taken) cannot fill the batch and starve the others.

#include <chrono>

#include "domain/workers/notice.hpp"
#include "domain/workers/step.hpp"

namespace vpnbot::workers {

struct auto_renewal_settings {
  std::chrono::seconds window{std::chrono::hours(24)};
};

step_report renew_from_balance(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                               const notice_context& ctx, const auto_renewal_settings& settings);

}  // namespace vpnbot::workers
