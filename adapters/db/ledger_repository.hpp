#pragma once

// Money moves only as ledger entries. Each entry has a unique ref (e.g.
// "payment:<uuid>", "referral:<user>"), so replaying the same business event
// applies it once; the database trigger moves the balance in the same
// transaction and its CHECK refuses an overdraft.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

enum class ledger_outcome { applied, already_applied, insufficient_funds };

// delta > 0 credits, delta < 0 debits. A replayed ref and an overdraft are
// answered as outcomes and leave the caller's transaction usable.
ledger_outcome post_ledger_entry(pqxx::dbtransaction& tx, int64_t user_id, int64_t delta,
                                 const std::string& currency, const std::string& reason,
                                 const std::string& ref);

int64_t balance_of(pqxx::dbtransaction& tx, int64_t user_id);
// The sum of a user's entries of one reason (e.g. referral bonuses earned).
int64_t total_of_reason(pqxx::dbtransaction& tx, int64_t user_id, const std::string& reason);

struct ledger_entry {
  int64_t delta = 0;
  std::string currency;
  std::string reason;
  std::string ref;
  std::string created_at;  // ISO 8601
};

std::optional<ledger_entry> ledger_entry_by_ref(pqxx::dbtransaction& tx, const std::string& ref);

std::vector<ledger_entry> recent_ledger_entries(pqxx::dbtransaction& tx, int64_t user_id,
                                                int limit);

}  // namespace vpnbot::db
