#pragma once

// A redeemed percent_off or fixed_off code is held for the user's next order
// of a plan it applies to: the order is priced with it (and keeps the list
// price to show struck through), and the finalizer spends it with that
// order's payment, once.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "adapters/db/payments_repository.hpp"

namespace vpnbot::promo {

// The list price less the discount, never below one minor unit (no
// provider takes a payment of zero, and the payments table refuses it).
// Integer arithmetic, so Stars stay whole; a percentage is taken off
// rounded down.
int64_t discounted_amount(int64_t list_amount, const std::string& kind, int64_t amount);

struct order_price {
  int64_t amount = 0;                          // what the order asks for
  std::optional<int64_t> list_amount;          // before the discount, when there is one
  std::optional<int64_t> promo_redemption_id;  // the discount it includes
};

// The user's price for a plan in a currency: the list price less the oldest
// held discount that applies to the plan (and, for fixed_off, is in that
// currency). The discounts are locked until the transaction ends.
order_price price_order(pqxx::dbtransaction& tx, int64_t user_id, const std::string& plan_code,
                        const std::string& currency, int64_t list_amount);

// The user holds a discount, but none for this plan: the bot says so.
bool holds_discount_for_other_plans(pqxx::dbtransaction& tx, int64_t user_id,
                                    const std::string& plan_code);

// Once the order's payment exists: other pending orders priced with the
// same discount are cancelled, so one discount pays for one order.
void hold_for_order(pqxx::dbtransaction& tx, const order_price& price,
                    const std::string& payment_id);

// The finalizer, for a plan payment: the discount its price includes is
// spent by it. False when another payment spent it first (money for an
// order we cancelled that came late); the caller records that.
bool spend_discount(pqxx::dbtransaction& tx, const db::payment_row& payment);

}  // namespace vpnbot::promo
