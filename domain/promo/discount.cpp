#include "domain/promo/discount.hpp"

#include <algorithm>

#include "adapters/db/promo_codes_repository.hpp"

namespace vpnbot::promo {
namespace {

bool covers_plan(const db::held_discount_row& d, const std::string& plan_code) {
  return d.plans.empty() || std::find(d.plans.begin(), d.plans.end(), plan_code) != d.plans.end();
}

bool applies(const db::held_discount_row& d, const std::string& plan_code,
             const std::string& currency) {
  return covers_plan(d, plan_code) && (d.kind == "percent_off" || d.currency == currency);
}

}  // namespace

int64_t discounted_amount(int64_t list_amount, const std::string& kind, int64_t amount) {
  int64_t off = kind == "percent_off" ? list_amount * amount / 100 : amount;
  return std::max<int64_t>(1, list_amount - off);
}

order_price price_order(pqxx::dbtransaction& tx, int64_t user_id, const std::string& plan_code,
                        const std::string& currency, int64_t list_amount) {
  for (const auto& d : db::held_discounts(tx, user_id))
    if (applies(d, plan_code, currency)) {
      auto amount = discounted_amount(list_amount, d.kind, d.amount);
      if (amount < list_amount) return {amount, list_amount, d.redemption_id};
    }
  return {list_amount, std::nullopt, std::nullopt};
}

bool holds_discount_for_other_plans(pqxx::dbtransaction& tx, int64_t user_id,
                                    const std::string& plan_code) {
  auto held = db::held_discounts(tx, user_id);
  return !held.empty() && std::none_of(held.begin(), held.end(),
                                       [&](const auto& d) { return covers_plan(d, plan_code); });
}

void hold_for_order(pqxx::dbtransaction& tx, const order_price& price,
                    const std::string& payment_id) {
  if (price.promo_redemption_id)
    db::fail_other_orders_holding(tx, *price.promo_redemption_id, payment_id);
}

bool spend_discount(pqxx::dbtransaction& tx, const db::payment_row& payment) {
  if (!payment.promo_redemption_id) return true;
  return db::consume_redemption(tx, *payment.promo_redemption_id, payment.id);
}

}  // namespace vpnbot::promo
