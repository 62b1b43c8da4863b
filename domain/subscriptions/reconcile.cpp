#include "domain/subscriptions/reconcile.hpp"

#include <algorithm>
#include <cstdlib>

#include "adapters/codec/ascii.hpp"
#include "adapters/db/prepared.hpp"
#include "adapters/db/subscription_liveness.hpp"
#include "adapters/panel/client_identity.hpp"
#include "domain/subscriptions/job_kind.hpp"

namespace vpnbot::activation {
namespace {

// Panels keep expiry in milliseconds; a second of difference is no drift.
bool expiry_drifted(int64_t a, int64_t b) {
  return std::llabs(a - b) > 1000;
}

}  // namespace

reconcile_plan plan_reconcile(
    const std::vector<expected_client>& expected, const std::vector<panel::xui_client>& clients,
    const std::map<std::string, std::chrono::system_clock::time_point>& quarantined,
    std::chrono::system_clock::time_point now, std::chrono::seconds grace) {
  reconcile_plan plan;
  std::map<std::string, const expected_client*> by_email;
  for (const auto& e : expected) by_email[codec::ascii_lower(e.email)] = &e;
  std::map<std::string, bool> on_panel_uuid;
  std::map<std::string, bool> on_panel_email;
  std::vector<std::string> orphans;
  for (const auto& c : clients) {
    on_panel_uuid[codec::ascii_lower(c.id)] = true;
    on_panel_email[codec::ascii_lower(c.email)] = true;
    auto it = by_email.find(codec::ascii_lower(c.email));
    if (!panel::parse_client_email(c.email) || it == by_email.end() ||
        codec::ascii_lower(it->second->uuid) != codec::ascii_lower(c.id) ||
        !it->second->assigned_here) {
      ++plan.foreign;
      continue;
    }
    ++plan.ours;
    const auto& e = *it->second;
    auto uuid = codec::ascii_lower(c.id);
    if (e.job_pending) continue;  // its job decides (a removal under way)
    if (!e.present) {
      orphans.push_back(uuid);
      auto q = quarantined.find(uuid);
      if (q == quarantined.end())
        plan.quarantine.emplace_back(uuid, c.email);
      else if (now - q->second >= grace)
        plan.remove.push_back(e.subscription_id);
      continue;
    }
    if (e.enabled) {
      if (!c.enable)
        plan.enable.push_back(e.subscription_id);
      else if (expiry_drifted(c.expiry_time_ms, e.expiry_ms) || c.total_bytes != e.total_bytes)
        plan.extend.push_back(e.subscription_id);
    } else if (c.enable) {
      plan.disable.push_back(e.subscription_id);
    }
  }
  for (const auto& e : expected)
    if (e.present && !e.job_pending && !on_panel_uuid.count(codec::ascii_lower(e.uuid)) &&
        !on_panel_email.count(codec::ascii_lower(e.email)))
      plan.create.push_back(e.subscription_id);
  for (const auto& [uuid, since] : quarantined)
    if (std::find(orphans.begin(), orphans.end(), uuid) == orphans.end() || now - since >= grace)
      plan.release.push_back(uuid);
  return plan;
}

bool implausible_listing(const reconcile_plan& plan) {
  return plan.ours == 0 && plan.create.size() > max_blind_recreate;
}

std::vector<expected_client> expected_clients(pqxx::dbtransaction& tx, int64_t panel_id,
                                              const std::vector<std::string>& emails,
                                              std::chrono::system_clock::time_point listed_at) {
  std::string list;
  for (const auto& e : emails) list += (list.empty() ? "" : ",") + e;
  // Sold and enabled come from the subscription's state now: a removal
  // finished for an earlier expiry does not make a renewed one unsold.
  auto rows = db::exec_prepared_sql(
      tx,
      std::string("SELECT s.id, s.client_uuid::text, s.client_email,"
                  " coalesce(s.panel_id = $1, false) AND ") +
          db::subscription_sold_sql + ", " + db::subscription_enabled_sql +
          ","
          " (extract(epoch FROM s.expires_at) * 1000)::bigint, p.traffic_limit_bytes,"
          " EXISTS (SELECT 1 FROM jobs j WHERE j.subject_id = s.id"
          "   AND (j.state IN ('queued', 'running') OR j.updated_at >= to_timestamp($3))"
          "   AND j.kind IN ('create_client', 'extend_client', 'enable_client', 'disable_client',"
          "                  'remove_client')),"
          " s.panel_id IS NOT DISTINCT FROM $1"
          " FROM subscriptions s JOIN plans p ON p.id = s.plan_id"
          " WHERE s.panel_id = $1 OR s.client_email = ANY(string_to_array($2, ','))",
      panel_id, list, std::chrono::duration<double>(listed_at.time_since_epoch()).count());
  std::vector<expected_client> out;
  for (const auto& r : rows)
    out.push_back({r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                   r[3].as<bool>(), r[4].as<bool>(), r[5].as<int64_t>(), r[6].as<int64_t>(),
                   r[7].as<bool>(), r[8].as<bool>()});
  return out;
}

std::map<std::string, std::chrono::system_clock::time_point> quarantined_clients(
    pqxx::dbtransaction& tx, int64_t panel_id) {
  std::map<std::string, std::chrono::system_clock::time_point> out;
  for (const auto& r :
       db::exec_prepared_sql(tx,
                             "SELECT client_uuid, (extract(epoch FROM first_seen) * 1000)::bigint"
                             " FROM reconcile_quarantine WHERE panel_id = $1",
                             panel_id))
    out[r[0].as<std::string>()] =
        std::chrono::system_clock::time_point(std::chrono::milliseconds(r[1].as<int64_t>()));
  return out;
}

void apply_reconcile(pqxx::dbtransaction& tx, int64_t panel_id, const reconcile_plan& plan,
                     std::chrono::system_clock::time_point now, const std::string& run) {
  auto seen_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  auto enqueue = [&](subscriptions::job_kind kind, const std::vector<int64_t>& ids) {
    for (auto id : ids)
      subscriptions::enqueue_job(
          tx, kind, id,
          "reconcile:" + std::string(name(kind)) + ":" + std::to_string(id) + ":" + run,
          {{"reason", "reconcile"}});
  };
  enqueue(subscriptions::job_kind::create_client, plan.create);
  enqueue(subscriptions::job_kind::enable_client, plan.enable);
  enqueue(subscriptions::job_kind::disable_client, plan.disable);
  enqueue(subscriptions::job_kind::extend_client, plan.extend);
  enqueue(subscriptions::job_kind::remove_client, plan.remove);
  for (const auto& uuid : plan.release)
    db::exec_prepared_sql(
        tx, "DELETE FROM reconcile_quarantine WHERE panel_id = $1 AND client_uuid = $2", panel_id,
        uuid);
  for (const auto& [uuid, email] : plan.quarantine)
    db::exec_prepared_sql(
        tx,
        "INSERT INTO reconcile_quarantine (panel_id, client_uuid, email, first_seen)"
        " VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000)) ON CONFLICT DO NOTHING",
        panel_id, uuid, email, seen_ms);
}

}  // namespace vpnbot::activation
