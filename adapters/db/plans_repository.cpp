#include "adapters/db/plans_repository.hpp"

#include <nlohmann/json.hpp>

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* plan_query =
    "SELECT p.id, p.code, p.titles::text, p.duration_days, p.traffic_limit_bytes, p.device_limit,"
    " p.is_trial, p.sort_order, p.active, p.raw_link,"
    " coalesce((SELECT jsonb_object_agg(currency, amount) FROM plan_prices"
    "           WHERE plan_id = p.id), '{}'::jsonb)::text "
    "FROM plans p ";

plan_row to_plan(const pqxx::row& r) {
  plan_row p;
  p.id = r[0].as<int64_t>();
  p.def.code = r[1].as<std::string>();
  p.def.titles =
      nlohmann::json::parse(r[2].as<std::string>()).get<std::map<std::string, std::string>>();
  p.def.duration_days = r[3].as<int>();
  p.def.traffic_limit_bytes = r[4].as<int64_t>();
  p.def.device_limit = r[5].as<int>();
  p.def.is_trial = r[6].as<bool>();
  p.def.sort_order = r[7].as<int>();
  p.active = r[8].as<bool>();
  p.def.raw_link = r[9].as<bool>();
  p.def.prices =
      nlohmann::json::parse(r[10].as<std::string>()).get<std::map<std::string, int64_t>>();
  return p;
}

}  // namespace

int64_t upsert_plan(pqxx::dbtransaction& tx, const plan_definition& plan) {
  auto id = db::exec_prepared_sql1(
                tx,
                "INSERT INTO plans (code, titles, duration_days, traffic_limit_bytes,"
                " device_limit, is_trial, sort_order, raw_link, active)"
                " VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, true)"
                " ON CONFLICT (code) DO UPDATE SET titles = EXCLUDED.titles,"
                " duration_days = EXCLUDED.duration_days,"
                " traffic_limit_bytes = EXCLUDED.traffic_limit_bytes,"
                " device_limit = EXCLUDED.device_limit, is_trial = EXCLUDED.is_trial,"
                " sort_order = EXCLUDED.sort_order, raw_link = EXCLUDED.raw_link, active = true"
                " RETURNING id",
                plan.code, nlohmann::json(plan.titles).dump(), plan.duration_days,
                plan.traffic_limit_bytes, plan.device_limit, plan.is_trial, plan.sort_order,
                plan.raw_link)[0]
                .as<int64_t>();
  db::exec_prepared_sql(tx, "DELETE FROM plan_prices WHERE plan_id = $1", id);
  for (const auto& [currency, amount] : plan.prices)
    db::exec_prepared_sql(tx,
                          "INSERT INTO plan_prices (plan_id, currency, amount) VALUES ($1, $2, $3)",
                          id, currency, amount);
  return id;
}

void deactivate_plans_except(pqxx::dbtransaction& tx, const std::vector<std::string>& codes) {
  db::exec_prepared_sql(tx,
                        "UPDATE plans SET active = false"
                        " WHERE code NOT IN (SELECT jsonb_array_elements_text($1::jsonb))",
                        nlohmann::json(codes).dump());
}

std::vector<plan_row> active_plans(pqxx::dbtransaction& tx) {
  std::vector<plan_row> out;
  for (const auto& row : db::exec_prepared_sql(
           tx, std::string(plan_query) + "WHERE p.active ORDER BY p.sort_order, p.id"))
    out.push_back(to_plan(row));
  return out;
}

std::optional<plan_row> find_plan(pqxx::dbtransaction& tx, const std::string& code) {
  auto r = db::exec_prepared_sql(tx, std::string(plan_query) + "WHERE p.code = $1", code);
  if (r.empty()) return std::nullopt;
  return to_plan(r[0]);
}

std::optional<plan_row> find_plan_by_id(pqxx::dbtransaction& tx, int64_t id) {
  auto r = db::exec_prepared_sql(tx, std::string(plan_query) + "WHERE p.id = $1", id);
  if (r.empty()) return std::nullopt;
  return to_plan(r[0]);
}

}  // namespace vpnbot::db
