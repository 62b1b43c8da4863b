#include "adapters/db/telegram_repository.hpp"

#include <algorithm>

#include "adapters/codec/base64.hpp"
#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

std::vector<int64_t> store_updates(pqxx::dbtransaction& tx,
                                   const std::vector<incoming_update>& updates) {
  std::vector<int64_t> stored;
  if (updates.empty()) return stored;
  auto rows = nlohmann::json::array();
  for (const auto& u : updates)
    rows.push_back({{"id", u.update_id},
                    {"user", u.user_id ? nlohmann::json(*u.user_id) : nlohmann::json()},
                    {"raw", *u.raw}});
  for (const auto& row :
       db::exec_prepared_sql(tx,
                             "INSERT INTO telegram_updates (update_id, user_id, raw)"
                             " SELECT (e->>'id')::bigint, (e->>'user')::bigint, e->'raw'"
                             " FROM jsonb_array_elements($1::jsonb) e"
                             " ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
                             rows.dump()))
    stored.push_back(row[0].as<int64_t>());
  return stored;
}

std::vector<int64_t> finish_update(pqxx::dbtransaction& tx, int64_t update_id,
                                   const std::string& state, const std::optional<std::string>& note,
                                   const std::vector<outgoing_call>& replies,
                                   const std::string& handled_by) {
  auto rows = nlohmann::json::array();
  for (const auto& r : replies)
    rows.push_back({{"chat", r.chat_id ? nlohmann::json(*r.chat_id) : nlohmann::json()},
                    {"lane", r.lane},
                    {"method", r.method},
                    {"type", r.content_type},
                    {"body", codec::base64_encode(r.body)},
                    {"paid", r.paid_broadcast}});
  std::vector<int64_t> ids;
  // Ids come from the sequence in the SELECT's order, so sorted they are the replies' order.
  for (const auto& row : db::exec_prepared_sql(
           tx,
           "WITH marked AS (UPDATE telegram_updates SET state = $2, handled_at = now(), note = $3,"
           "                handled_by = NULLIF($5, '') WHERE update_id = $1)"
           " INSERT INTO telegram_outbox (chat_id, lane, method, content_type, body, update_id,"
           " paid_broadcast)"
           " SELECT (e->>'chat')::bigint, (e->>'lane')::int, e->>'method', e->>'type',"
           " decode(e->>'body', 'base64'), $1, (e->>'paid')::boolean"
           " FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n"
           " RETURNING id",
           update_id, state, note, rows.dump(), handled_by))
    ids.push_back(row[0].as<int64_t>());
  std::sort(ids.begin(), ids.end());
  return ids;
}

void mark_update_skipped(pqxx::dbtransaction& tx, int64_t update_id, const std::string& note) {
  db::exec_prepared_sql(
      tx,
      "UPDATE telegram_updates SET state = 'skipped', handled_at = now(), note = $2"
      " WHERE update_id = $1",
      update_id, note);
}

std::optional<pending_update> next_pending_update(pqxx::dbtransaction& tx, int64_t user_id,
                                                  std::chrono::milliseconds flood_window) {
  // One round trip: the update, its flood window, whether another waits,
  // and its sender as stored with the session (which the turn then need
  // not read again unless it has something to write).
  static const std::string sql =
      std::string(
          "SELECT u.update_id, u.raw::text, w.earlier, w.warned,"
          " EXISTS (SELECT 1 FROM telegram_updates m WHERE m.user_id = $1"
          "         AND m.state = 'received' AND m.update_id > u.update_id), ") +
      stored_user_columns + ", " + menu_facts_columns("x.id") +
      " FROM telegram_updates u CROSS JOIN LATERAL ("
      "   SELECT count(*) AS earlier, coalesce(bool_or(e.note = 'flood_warned'), false) AS warned"
      "   FROM telegram_updates e WHERE e.user_id = $1 AND e.update_id < u.update_id"
      "   AND e.received_at > u.received_at - make_interval(secs => $2::float8 / 1000)) w"
      " LEFT JOIN users x ON x.telegram_id = $1 LEFT JOIN sessions s ON s.user_id = x.id"
      " WHERE u.user_id = $1 AND u.state = 'received' ORDER BY u.update_id LIMIT 1 FOR UPDATE OF u";
  auto r = db::exec_prepared_sql(tx, sql, user_id, static_cast<double>(flood_window.count()));
  if (r.empty()) return std::nullopt;
  pending_update p;
  p.update_id = r[0][0].as<int64_t>();
  p.raw_json = r[0][1].as<std::string>();
  p.earlier_in_window = r[0][2].as<int64_t>();
  p.warned_in_window = r[0][3].as<bool>();
  p.more_pending = r[0][4].as<bool>();
  p.user = read_stored_user(r[0], 5);
  p.menu = read_menu_facts_columns(r[0], 5 + stored_user_width);
  return p;
}

std::vector<int64_t> users_with_pending_updates(pqxx::dbtransaction& tx) {
  std::vector<int64_t> out;
  for (const auto& row : tx.exec("SELECT DISTINCT user_id FROM telegram_updates"
                                 " WHERE state = 'received' AND user_id IS NOT NULL"))
    out.push_back(row[0].as<int64_t>());
  return out;
}

void advance_offset(pqxx::dbtransaction& tx, int64_t bot_id, int64_t last_update_id) {
  db::exec_prepared_sql(
      tx,
      "INSERT INTO telegram_offsets (bot_id, last_update_id) VALUES ($1, $2)"
      " ON CONFLICT (bot_id) DO UPDATE SET"
      " last_update_id = GREATEST(telegram_offsets.last_update_id, EXCLUDED.last_update_id),"
      " updated_at = now()",
      bot_id, last_update_id);
}

std::optional<int64_t> offset_of(pqxx::dbtransaction& tx, int64_t bot_id) {
  auto r = db::exec_prepared_sql(
      tx, "SELECT last_update_id FROM telegram_offsets WHERE bot_id = $1", bot_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

}  // namespace vpnbot::db
