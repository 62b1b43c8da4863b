#include "domain/admin/service_stats.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::admin {
namespace {

std::map<std::string, int64_t> counted(const pqxx::result& r) {
  std::map<std::string, int64_t> out;
  for (const auto& row : r) out[row[0].as<std::string>()] = row[1].as<int64_t>();
  return out;
}

std::string lane_name(int lane) {
  switch (lane) {
    case 0:
      return "transactional";
    case 1:
      return "interactive";
    case 2:
      return "reminder";
    case 3:
      return "broadcast";
  }
  return "lane_" + std::to_string(lane);
}

}  // namespace

service_stats collect_stats(pqxx::dbtransaction& tx) {
  service_stats s;
  auto users = db::exec_prepared_sql1(
      tx,
      "SELECT count(*), count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE"
      " 'UTC') AT TIME ZONE 'UTC'), count(*) FILTER (WHERE created_at >= now() - interval '7"
      " days') FROM users");
  s.users_total = users[0].as<int64_t>();
  s.users_new_today = users[1].as<int64_t>();
  s.users_new_7d = users[2].as<int64_t>();
  auto subs = db::exec_prepared_sql1(
      tx,
      "SELECT count(*) FILTER (WHERE kind = 'paid'), count(*) FILTER (WHERE kind = 'trial'),"
      " count(*) FILTER (WHERE expires_at <= now() + interval '3 days') FROM subscriptions"
      " WHERE status = 'active' AND expires_at > now()");
  s.active_paid = subs[0].as<int64_t>();
  s.active_trials = subs[1].as<int64_t>();
  s.expiring_3d = subs[2].as<int64_t>();
  // Net money in: payments finalized in the window (a later refund does not
  // unmake that they came in) less refunds made in it, partial ones too.
  // Balance payments are money already counted when it was topped up.
  auto revenue = db::exec_prepared_sql(
      tx,
      "SELECT currency, sum(amount) FILTER (WHERE at >= date_trunc('day', now() AT TIME ZONE"
      " 'UTC') AT TIME ZONE 'UTC')::bigint, sum(amount)::bigint FROM ("
      " SELECT currency, amount, finalized_at AS at FROM payments"
      " WHERE status IN ('succeeded', 'refunded') AND provider <> 'balance'"
      " AND finalized_at >= now() - interval '30 days'"
      " UNION ALL SELECT p.currency, -r.amount, r.created_at FROM payment_refunds r"
      " JOIN payments p ON p.id = r.payment_id WHERE p.provider <> 'balance'"
      " AND r.created_at >= now() - interval '30 days') money GROUP BY currency");
  for (const auto& row : revenue) {
    auto currency = row[0].as<std::string>();
    if (!row[1].is_null()) s.revenue_today[currency] = row[1].as<int64_t>();
    s.revenue_30d[currency] = row[2].as<int64_t>();
  }
  s.payments_by_status =
      counted(db::exec_prepared_sql(tx, "SELECT status, count(*) FROM payments GROUP BY status"));
  auto jobs = db::exec_prepared_sql1(
      tx,
      "SELECT count(*) FILTER (WHERE state IN ('queued', 'running')), count(*) FILTER (WHERE"
      " state = 'dead') FROM jobs");
  s.jobs_waiting = jobs[0].as<int64_t>();
  s.jobs_dead = jobs[1].as<int64_t>();
  for (int lane = 0; lane < 4; ++lane) s.outbox_queued[lane_name(lane)] = 0;
  for (const auto& row : db::exec_prepared_sql(
           tx,
           "SELECT lane, count(*) FROM telegram_outbox WHERE state IN ('queued', 'sending')"
           " GROUP BY lane"))
    s.outbox_queued[lane_name(row[0].as<int>())] = row[1].as<int64_t>();
  return s;
}

nlohmann::json to_json(const service_stats& s) {
  return {
      {"users",
       {{"total", s.users_total}, {"new_today", s.users_new_today}, {"new_7d", s.users_new_7d}}},
      {"subscriptions",
       {{"active_paid", s.active_paid},
        {"active_trials", s.active_trials},
        {"expiring_3d", s.expiring_3d}}},
      {"revenue_minor", {{"today", s.revenue_today}, {"last_30d", s.revenue_30d}}},
      {"payments_by_status", s.payments_by_status},
      {"activation_jobs", {{"waiting", s.jobs_waiting}, {"dead", s.jobs_dead}}},
      {"outbox_queued", s.outbox_queued}};
}

}  // namespace vpnbot::admin
