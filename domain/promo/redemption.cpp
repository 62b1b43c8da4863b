#include "domain/promo/redemption.hpp"

#include <algorithm>
#include <regex>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/promo_codes_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "domain/subscriptions/provisioning.hpp"

namespace vpnbot::promo {
namespace {

bool names_plan(const db::new_promo_code& c, const std::string& plan_code) {
  return c.plans.empty() || std::find(c.plans.begin(), c.plans.end(), plan_code) != c.plans.end();
}

// The plan a days code provisions for a user without a paid subscription:
// its first plan on sale, or the first plan on sale at all.
std::optional<db::plan_row> plan_to_provision(pqxx::dbtransaction& tx,
                                              const db::new_promo_code& c) {
  for (const auto& p : db::active_plans(tx))
    if (!p.def.is_trial && names_plan(c, p.def.code)) return p;
  return std::nullopt;
}

// Where a days code's time goes: the user's newest paid subscription, or a
// new one of the code's plan lasting the code's days. Neither when the
// user's subscription is of a plan the code does not name.
struct days_target {
  std::optional<db::subscription_row> extend;
  std::optional<db::plan_row> provision;
};

std::optional<days_target> target_of_days(pqxx::dbtransaction& tx, int64_t user_id,
                                          const db::promo_code_row& c) {
  if (auto sub = db::latest_paid_subscription(tx, user_id)) {
    auto plan = db::find_plan_by_id(tx, sub->plan_id);
    if (!plan || !names_plan(c.def, plan->def.code)) return std::nullopt;
    return days_target{sub, std::nullopt};
  }
  auto plan = plan_to_provision(tx, c.def);
  if (!plan) return std::nullopt;
  plan->def.duration_days = static_cast<int>(c.def.amount);
  return days_target{std::nullopt, plan};
}

// Like a payment: the expiry computed once from the locked row.
void grant_days(pqxx::dbtransaction& tx, int64_t user_id, const db::promo_code_row& c,
                const days_target& target, const std::string& job_key, redemption& out) {
  if (target.extend) {
    auto expiry = db::extended_expiry(tx, target.extend->id, static_cast<int>(c.def.amount));
    subscriptions::extend(tx, *target.extend, expiry, job_key);
    out.granted_expiry = expiry;
    out.subscription_id = target.extend->id;
    return;
  }
  auto sub = subscriptions::provision(tx, user_id, *target.provision, "paid", job_key);
  out.granted_expiry = sub->expires_at;
  out.subscription_id = sub->id;
}

}  // namespace

redemption redeem_promo_code(pqxx::dbtransaction& tx, int64_t user_id, const std::string& code) {
  redemption out;
  static const std::regex code_form("^[A-Za-z0-9_-]{3,32}$");
  if (!std::regex_match(code, code_form)) return out;
  // The user first, as the finalizer and the ledger take it, then the code.
  db::lock_redeeming_user(tx, user_id);
  auto c = db::lock_promo_code(tx, code);
  if (!c) return out;
  out.kind = c->def.kind;
  out.amount = c->def.amount;
  out.currency = c->def.currency;
  auto refused = [&](redeem_result why) {
    out.result = why;
    return out;
  };
  if (!c->enabled) return refused(redeem_result::disabled);
  if (c->expired) return refused(redeem_result::expired);
  auto before = db::redemptions_by(tx, c->id, user_id);
  if (before > 0 && c->def.per_user_once) return refused(redeem_result::already_used);
  if (c->def.uses_limit && c->uses >= *c->def.uses_limit) return refused(redeem_result::used_up);
  if (c->def.kind == "balance_credit") {
    auto user = db::find_user_by_id(tx, user_id);
    if (!user || user->balance_currency != c->def.currency)
      return refused(redeem_result::wrong_currency);
  }
  std::optional<days_target> target;
  if (c->def.kind == "days" && !(target = target_of_days(tx, user_id, *c)))
    return refused(redeem_result::wrong_plan);
  auto id = db::insert_redemption(tx, c->id, user_id, before + 1);
  if (!id) return refused(redeem_result::already_used);
  out.redemption_id = id;
  out.result = redeem_result::applied;
  auto ref = "promo:" + std::to_string(*id);
  if (target) grant_days(tx, user_id, *c, *target, ref, out);
  if (c->def.kind == "balance_credit")
    db::post_ledger_entry(tx, user_id, c->def.amount, *c->def.currency, "promo", ref);
  return out;
}

}  // namespace vpnbot::promo
