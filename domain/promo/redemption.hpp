#pragma once

// A user redeems a promo code, exactly once per user (a per_user_once code)
// and never beyond its uses limit, however many redeem it at once: the
// user's row and then the code's row are locked, so redemptions of one code
// queue up and each sees the uses of those before it; the table's unique
// (code, user, nth) and the uses CHECK are the backstops.
//
// What it gives, in the same transaction:
//   days            the user's newest paid subscription extended, or a new
//                   one provisioned, like a purchase (an activation job
//                   keyed promo:<redemption>);
//   balance_credit  a ledger credit, ref promo:<redemption>;
//   percent_off, fixed_off  a discount held for the next order of a plan it
//                   applies to (discount.hpp).

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::promo {

enum class redeem_result {
  applied,
  unknown,         // no such code
  disabled,        // switched off by an operator
  expired,         // valid_until has passed
  used_up,         // the uses limit is reached
  already_used,    // by this user, and the code is once per user
  wrong_plan,      // days for a plan other than the user's subscription
  wrong_currency,  // a balance credit in another currency than the user's balance
};

struct redemption {
  redeem_result result = redeem_result::unknown;
  std::string kind;  // the code's, once it is known
  int64_t amount = 0;
  std::optional<std::string> currency;
  std::optional<int64_t> redemption_id;
  std::optional<std::string> granted_expiry;  // days: the subscription's new expiry
  std::optional<int64_t> subscription_id;     // days: the subscription extended or created
};

redemption redeem_promo_code(pqxx::dbtransaction& tx, int64_t user_id, const std::string& code);

}  // namespace vpnbot::promo
