#include "domain/admin/time_grant.hpp"

#include "adapters/db/panels_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/prepared.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "domain/subscriptions/provisioning.hpp"

namespace vpnbot::admin {
namespace {

std::optional<int64_t> newest_subscription(pqxx::dbtransaction& tx, int64_t user_id) {
  auto r = db::exec_prepared_sql(
      tx, "SELECT id FROM subscriptions WHERE user_id = $1 ORDER BY id DESC LIMIT 1", user_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

std::optional<db::plan_row> plan_to_grant(pqxx::dbtransaction& tx) {
  for (auto& p : db::active_plans(tx))
    if (!p.def.is_trial) return std::move(p);
  return std::nullopt;
}

std::string days_from_now(pqxx::dbtransaction& tx, int64_t days) {
  return db::exec_prepared_sql1(
             tx,
             "SELECT to_char((now() + make_interval(days => $1)) AT TIME ZONE 'UTC',"
             " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
             static_cast<int>(days))[0]
      .as<std::string>();
}

action_result<time_granted> provision_new(pqxx::dbtransaction& tx, const db::user_row& u,
                                          int64_t days) {
  auto plan = plan_to_grant(tx);
  if (!plan) return conflict("no paid plan is on sale to provision a subscription from");
  auto grant_id = panel::new_client_uuid();
  auto row = subscriptions::provision(tx, u.id, *plan, "paid", "admin_grant:" + grant_id);
  if (!row) return conflict("the subscription could not be provisioned");
  auto panels = db::active_panels(tx);
  if (!panels.empty()) db::assign_panel(tx, row->id, panels.front().id);
  auto expires = days_from_now(tx, days);
  db::extend_subscription(tx, row->id, expires);
  return time_granted{row->id, expires, true, false};
}

}  // namespace

action_result<time_granted> grant_days(pqxx::dbtransaction& tx, const acting_operator& who,
                                       int64_t telegram_id, int64_t days) {
  if (days == 0 || days > max_grant_days || days < -max_grant_days)
    return bad_input("days", "expected a non-zero whole number of days from -" +
                                 std::to_string(max_grant_days) + " to " +
                                 std::to_string(max_grant_days));
  auto u = db::find_user_by_telegram_id(tx, telegram_id);
  if (!u) return not_found("no user with Telegram id " + std::to_string(telegram_id));
  auto newest = newest_subscription(tx, u->id);
  action_result<time_granted> done = conflict("the user has no subscription to take time from");
  if (!newest && days > 0) {
    done = provision_new(tx, *u, days);
  } else if (newest && days > 0) {
    auto expires = db::extended_expiry(tx, *newest, static_cast<int>(days));
    auto sub = db::find_subscription(tx, *newest);
    subscriptions::extend(tx, *sub, expires, "admin_grant:" + panel::new_client_uuid());
    done = time_granted{*newest, expires, false, false};
  } else if (newest) {
    auto sub = db::lock_subscription(tx, *newest);
    auto e =
        subscriptions::take_time(tx, *sub, -days * 86400, "admin_take:" + panel::new_client_uuid());
    done = time_granted{*newest, e.expires_at, false, e.passed && sub->status == "active"};
  }
  if (!done) return done;
  audit_action(tx, who, days > 0 ? "grant_days" : "take_days",
               "user:" + std::to_string(telegram_id),
               {{"days", days},
                {"subscription", done->subscription_id},
                {"expires_at", done->expires_at},
                {"created", done->created}});
  return done;
}

}  // namespace vpnbot::admin
