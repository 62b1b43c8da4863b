#pragma once

// Promo codes and their redemptions as rows. The rules (who may redeem
// what, what a redemption gives) are domain/promo; these only read and
// write, with the locks the rules rely on.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

// Every member has an initializer, so a caller names only what it sets.
struct new_promo_code {
  std::string code{};
  std::string kind{};  // days | percent_off | fixed_off | balance_credit
  int64_t amount = 0;
  std::optional<std::string> currency{};
  std::optional<int> uses_limit{};
  bool per_user_once = true;
  std::optional<std::string> valid_until{};  // ISO 8601
  std::vector<std::string> plans{};          // plan codes; empty: all
};

struct promo_code_row {
  int64_t id = 0;
  new_promo_code def;
  int uses = 0;
  bool enabled = true;
  bool expired = false;  // valid_until has passed (by the database's clock)
  std::string created_at;
};

// nullopt when a code with that name (in any case) exists.
std::optional<promo_code_row> insert_promo_code(pqxx::dbtransaction& tx, const new_promo_code& p);
std::vector<promo_code_row> all_promo_codes(pqxx::dbtransaction& tx);
// false when there is no such code.
bool disable_promo_code(pqxx::dbtransaction& tx, const std::string& code);
// Locks the redeeming user's row (FOR NO KEY UPDATE) until the transaction
// ends: the first lock, as in the finalizer and the ledger.
void lock_redeeming_user(pqxx::dbtransaction& tx, int64_t user_id);
// Locked (FOR UPDATE) until the transaction ends: redemptions of one code
// queue up behind each other.
std::optional<promo_code_row> lock_promo_code(pqxx::dbtransaction& tx, const std::string& code);

// How often the user redeemed the code already.
int redemptions_by(pqxx::dbtransaction& tx, int64_t promo_code_id, int64_t user_id);
// Records the user's nth redemption and counts the use; nullopt when that
// redemption exists already.
std::optional<int64_t> insert_redemption(pqxx::dbtransaction& tx, int64_t promo_code_id,
                                         int64_t user_id, int nth);

// A redeemed discount the user has not spent yet.
struct held_discount_row {
  int64_t redemption_id = 0;
  std::string kind;  // percent_off | fixed_off
  int64_t amount = 0;
  std::optional<std::string> currency;
  std::vector<std::string> plans;
  std::string code;
};

// The user's unspent discounts, oldest first, locked (FOR UPDATE).
std::vector<held_discount_row> held_discounts(pqxx::dbtransaction& tx, int64_t user_id);
// Marks the redemption spent by the payment; false when it was spent already.
bool consume_redemption(pqxx::dbtransaction& tx, int64_t redemption_id,
                        const std::string& payment_id);
// Pending orders other than `payment_id` priced with the redemption → failed.
int fail_other_orders_holding(pqxx::dbtransaction& tx, int64_t redemption_id,
                              const std::string& payment_id);

}  // namespace vpnbot::db
