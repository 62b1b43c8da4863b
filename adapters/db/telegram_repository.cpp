#include "adapters/db/telegram_repository.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "adapters/codec/base64.hpp"
#include "adapters/codec/json_object_writer.hpp"
#include "adapters/db/id_array.hpp"
#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

std::vector<int64_t> store_updates(pqxx::dbtransaction& tx,
                                   const std::vector<incoming_update>& updates) {
  std::vector<int64_t> stored;
  if (updates.empty()) return stored;
  // Written as text, each update as it came: a document of the records
  // would copy every update's.
  std::string rows = "[";
  for (const auto& u : updates) {
    if (rows.size() > 1) rows += ',';
    rows += codec::json_object_writer()
                .number("id", u.update_id)
                .number_or_null("user", u.user_id)
                .json("raw", u.raw)
                .finish();
  }
  rows += ']';
  for (const auto& row :
       db::exec_prepared_sql(tx,
                             "INSERT INTO telegram_updates (update_id, user_id, raw)"
                             " SELECT (e->>'id')::bigint, (e->>'user')::bigint, e->'raw'"
                             " FROM jsonb_array_elements($1::jsonb) e"
                             " ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
                             rows))
    stored.push_back(row[0].as<int64_t>());
  return stored;
}

std::vector<std::vector<int64_t>> finish_updates(pqxx::dbtransaction& tx,
                                                 const std::vector<finished_update>& updates,
                                                 const std::string& handled_by) {
  // The records are written as text: a document per record (a std::map
  // per object) and its dump, which escapes every byte of the bodies'
  // base64, were most of this function's cost.
  codec::json_object_writer marks;
  std::string rows = "[";
  for (const auto& u : updates) {
    marks.json(std::to_string(u.update_id), codec::json_object_writer()
                                                .string("state", u.state)
                                                .string_or_null("note", u.note)
                                                .finish());
    for (const auto& r : *u.replies) {
      if (rows.size() > 1) rows += ',';
      rows += codec::json_object_writer()
                  .number("update", u.update_id)
                  .number_or_null("chat", r.chat_id)
                  .number("lane", r.lane)
                  .string("method", r.method)
                  .string("type", r.content_type)
                  // base64 needs no escaping: written as the literal it is.
                  .json("body", '"' + codec::base64_encode(r.body) + '"')
                  .boolean("paid", r.paid_broadcast)
                  .finish();
    }
  }
  rows += ']';
  std::map<int64_t, std::vector<int64_t>> by_update;
  // Ids come from the sequence in the SELECT's order, so sorted they are
  // each update's replies in their order.
  for (const auto& row : db::exec_prepared_sql(
           tx,
           // The updates are found by their key (= ANY of an array the
           // plan cannot see into), each looking its record up by its id in
           // an object keyed by id (a join with the records let the planner
           // scan the table; a subquery over all records was O(n^2)).
           "WITH marked AS (UPDATE telegram_updates t"
           "                SET state = $1::jsonb -> t.update_id::text ->> 'state',"
           "                    note = $1::jsonb -> t.update_id::text ->> 'note',"
           "                    handled_at = now(), handled_by = NULLIF($3, '')"
           "                WHERE t.update_id = ANY(ARRAY(SELECT k::bigint"
           "                                              FROM jsonb_object_keys($1::jsonb) k)))"
           " INSERT INTO telegram_outbox (chat_id, lane, method, content_type, body, update_id,"
           " paid_broadcast)"
           " SELECT (e->>'chat')::bigint, (e->>'lane')::int, e->>'method', e->>'type',"
           " decode(e->>'body', 'base64'), (e->>'update')::bigint, (e->>'paid')::boolean"
           " FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n"
           " RETURNING id, update_id",
           marks.finish(), rows, handled_by))
    by_update[row[1].as<int64_t>()].push_back(row[0].as<int64_t>());
  std::vector<std::vector<int64_t>> ids;
  for (const auto& u : updates) {
    auto& mine = by_update[u.update_id];
    std::sort(mine.begin(), mine.end());
    ids.push_back(std::move(mine));
  }
  return ids;
}

void mark_update_skipped(pqxx::dbtransaction& tx, int64_t update_id, const std::string& note) {
  db::exec_prepared_sql(
      tx,
      "UPDATE telegram_updates SET state = 'skipped', handled_at = now(), note = $2"
      " WHERE update_id = $1",
      update_id, note);
}

std::vector<std::optional<pending_update>> next_pending_updates(
    pqxx::dbtransaction& tx, const std::vector<pending_read>& reads, const flood_rule& flood) {
  // One round trip for all of them: each user's update, its flood window
  // (when asked), whether another waits, and its sender as stored with the
  // session (which the turn then need not read again unless it has
  // something to write). The users' rows are locked in id order, whatever
  // the callers' order. Per user a subquery that cannot be flattened
  // (LIMIT, FOR UPDATE), so each user's rows are found through the indexes;
  // a join over the whole list let the planner hash all users for a few.
  // The users come as JSON, not arrays: the planner counts a constant
  // array's elements, so a plan for one user looked cheaper than the
  // generic one and the statement was planned again at every call
  // (~0.7 ms). The window's subqueries sit in CASE branches, evaluated only
  // for the users asking: they read each earlier update's row, and were
  // about a seventh of PostgreSQL's work in bench_updates_bench. The window keeps the
  // latest times up to the limit, and the warning is found in its own
  // small index: a user flooding the bot with thousands of updates does
  // not make each of its turns read all of them.
  static const std::string sql =
      std::string(
          "SELECT q.uid, r.* FROM (SELECT (e->>0)::bigint AS uid, (e->>1)::boolean AS asks"
          " FROM jsonb_array_elements($1::jsonb) e) q"
          " CROSS JOIN LATERAL ("
          " SELECT u.update_id, u.raw::text,"
          " (extract(epoch FROM u.received_at) * 1000000)::bigint,"
          " CASE WHEN q.asks THEN ARRAY("
          "   SELECT (extract(epoch FROM e.received_at) * 1000000)::bigint"
          "   FROM telegram_updates e WHERE e.user_id = q.uid AND e.update_id < u.update_id"
          "   AND e.received_at > u.received_at - make_interval(secs => $2::float8 / 1000)"
          "   ORDER BY e.received_at DESC LIMIT $3) END,"
          " CASE WHEN q.asks THEN (SELECT"
          "   (extract(epoch FROM max(f.received_at)) * 1000000)::bigint"
          "   FROM telegram_updates f WHERE f.user_id = q.uid AND f.note = 'flood_warned'"
          "   AND f.update_id < u.update_id"
          "   AND f.received_at > u.received_at - make_interval(secs => $2::float8 / 1000)) END,"
          " EXISTS (SELECT 1 FROM telegram_updates m WHERE m.user_id = q.uid"
          "         AND m.state = 'received' AND m.update_id > u.update_id), ") +
      stored_user_columns + ", " + menu_facts_columns("x.id") +
      " FROM telegram_updates u"
      " LEFT JOIN users x ON x.telegram_id = q.uid LEFT JOIN sessions s ON s.user_id = x.id"
      " WHERE u.user_id = q.uid AND u.state = 'received' ORDER BY u.update_id LIMIT 1"
      " FOR UPDATE OF u) r";
  std::vector<pending_read> sorted = reads;
  std::sort(sorted.begin(), sorted.end(),
            [](const pending_read& a, const pending_read& b) { return a.user_id < b.user_id; });
  auto same_user = [](const pending_read& a, const pending_read& b) {
    return a.user_id == b.user_id;
  };
  if (std::adjacent_find(sorted.begin(), sorted.end(), same_user) != sorted.end())
    throw std::invalid_argument("next_pending_updates: a user asked for twice");
  std::string users = "[";
  for (const auto& r : sorted) {
    if (users.size() > 1) users += ',';
    users += '[' + std::to_string(r.user_id) + (r.with_window ? ",true]" : ",false]");
  }
  users += ']';
  std::map<int64_t, pending_update> found;
  for (const auto& row : db::exec_prepared_sql(
           tx, sql, users, static_cast<double>(flood.window.count()), flood.limit)) {
    pending_update p;
    p.update_id = row[1].as<int64_t>();
    p.raw_json = row[2].as<std::string>();
    p.received_us = row[3].as<int64_t>();
    if (!row[4].is_null()) {
      flood_window w;
      w.earlier_us = ids_of(row[4].c_str());
      w.warned_us = row[5].is_null() ? 0 : row[5].as<int64_t>();
      p.window = std::move(w);
    }
    p.more_pending = row[6].as<bool>();
    p.user = read_stored_user(row, 7);
    p.menu = read_menu_facts_columns(row, 7 + stored_user_width);
    found.emplace(row[0].as<int64_t>(), std::move(p));
  }
  std::vector<std::optional<pending_update>> out;
  for (const auto& r : reads) {
    auto it = found.find(r.user_id);
    out.push_back(it == found.end() ? std::nullopt
                                    : std::optional<pending_update>(std::move(it->second)));
  }
  return out;
}

std::optional<pending_update> next_pending_update(pqxx::dbtransaction& tx, const pending_read& read,
                                                  const flood_rule& flood) {
  return std::move(next_pending_updates(tx, {read}, flood).front());
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
