#pragma once

// The durable hand-off shared by the poller and the webhook: raw updates are
// stored (deduplicated by update_id) before anyone acknowledges them to
// Telegram; the users with new updates are returned so their sessions can be
// kicked after the commit.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::telegram {

struct stored_updates {
  std::vector<int64_t> users;  // with at least one new update, in first-seen order
  std::optional<int64_t> last_update_id;
  int new_updates = 0;
  int malformed = 0;
};

// Each update is its JSON text as Telegram sent it, stored as it is. It must
// be valid JSON, an object with an integer update_id; one without is counted
// as malformed and skipped (it cannot even be acknowledged alone).
stored_updates store_updates(pqxx::dbtransaction& tx, const std::vector<std::string>& updates);

}  // namespace vpnbot::telegram
