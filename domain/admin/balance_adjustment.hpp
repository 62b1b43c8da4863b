#pragma once

// An operator's credit or debit of a user's balance, as one ledger entry
// (reason admin_adjustment, its own ref), so the balance moves only through
// the ledger and a debit beyond the balance is refused there.

#include <cstddef>
#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "domain/admin/acting_operator.hpp"
#include "domain/admin/action_result.hpp"

namespace vpnbot::admin {

inline constexpr std::size_t max_note_length = 500;

struct balance_adjustment {
  int64_t delta_minor = 0;  // non-zero; negative debits
  std::string currency;     // the user's balance currency
  std::string note;         // why, for the audit log
};

struct balance_adjusted {
  int64_t balance_minor = 0;  // after the entry
  std::string currency;
  std::string ref;  // the ledger entry's
};

action_result<balance_adjusted> adjust_balance(pqxx::dbtransaction& tx, const acting_operator& who,
                                               int64_t telegram_id, const balance_adjustment& a);

}  // namespace vpnbot::admin
