#include "adapters/db/panels_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

std::optional<panel_row> first_panel(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return panel_row{r[0][0].as<int64_t>(), r[0][1].as<std::string>(), r[0][2].as<bool>()};
}

// A text[] literal of panel names (configured as [a-z0-9_-]).
std::string name_array(pqxx::dbtransaction& tx, const std::vector<std::string>& names) {
  std::string list = "{";
  for (std::size_t i = 0; i < names.size(); ++i) list += (i ? "," : "") + tx.quote_name(names[i]);
  return list + "}";
}

}  // namespace

int64_t upsert_panel(pqxx::dbtransaction& tx, const std::string& name, const std::string& base_url,
                     int64_t inbound_id) {
  return db::exec_prepared_sql(tx,
                               "INSERT INTO panels (name, base_url, inbound_id) VALUES ($1, $2, $3)"
                               " ON CONFLICT (name) DO UPDATE SET base_url = EXCLUDED.base_url,"
                               " inbound_id = EXCLUDED.inbound_id, active = true RETURNING id",
                               name, base_url, inbound_id)[0][0]
      .as<int64_t>();
}

void deactivate_panels_except(pqxx::dbtransaction& tx, const std::vector<std::string>& names) {
  db::exec_prepared_sql(tx, "UPDATE panels SET active = false WHERE NOT (name = ANY($1::text[]))",
                        name_array(tx, names));
}

std::optional<panel_row> find_panel_by_name(pqxx::dbtransaction& tx, const std::string& name) {
  return first_panel(
      db::exec_prepared_sql(tx, "SELECT id, name, active FROM panels WHERE name = $1", name));
}

std::optional<panel_row> find_panel_by_id(pqxx::dbtransaction& tx, int64_t id) {
  return first_panel(
      db::exec_prepared_sql(tx, "SELECT id, name, active FROM panels WHERE id = $1", id));
}

std::optional<panel_row> least_loaded_panel(pqxx::dbtransaction& tx,
                                            const std::vector<std::string>& names) {
  if (names.empty()) return std::nullopt;
  return first_panel(db::exec_prepared_sql(
      tx,
      "SELECT p.id, p.name, p.active FROM panels p WHERE p.active AND p.name = ANY($1::text[])"
      " ORDER BY (SELECT count(*) FROM subscriptions s WHERE s.panel_id = p.id"
      " AND s.status = 'active'), p.id LIMIT 1",
      name_array(tx, names)));
}

std::vector<panel_row> active_panels(pqxx::dbtransaction& tx) {
  std::vector<panel_row> out;
  for (const auto& row :
       db::exec_prepared_sql(tx, "SELECT id, name FROM panels WHERE active ORDER BY id"))
    out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), true});
  return out;
}

std::optional<int64_t> preferred_panel(pqxx::dbtransaction& tx, int64_t user_id) {
  auto r = db::exec_prepared_sql(tx, "SELECT preferred_panel_id FROM users WHERE id = $1", user_id);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

void set_preferred_panel(pqxx::dbtransaction& tx, int64_t user_id,
                         std::optional<int64_t> panel_id) {
  db::exec_prepared_sql(tx, "UPDATE users SET preferred_panel_id = $2 WHERE id = $1", user_id,
                        panel_id);
}

}  // namespace vpnbot::db
