#include "adapters/db/telegram_outbox_repository.hpp"

#include "adapters/db/id_array.hpp"
#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* outgoing_columns =
    "SELECT id, chat_id, lane, method, content_type, body, update_id, paid_broadcast"
    " FROM telegram_outbox ";

std::vector<outgoing_call> to_calls(const pqxx::result& rows) {
  std::vector<outgoing_call> out;
  for (const auto& row : rows) {
    outgoing_call c;
    c.id = row[0].as<int64_t>();
    if (!row[1].is_null()) c.chat_id = row[1].as<int64_t>();
    c.lane = row[2].as<int>();
    c.method = row[3].as<std::string>();
    c.content_type = row[4].as<std::string>();
    c.body = pqxx::binarystring(row[5]).str();
    if (!row[6].is_null()) c.update_id = row[6].as<int64_t>();
    c.paid_broadcast = row[7].as<bool>();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

int64_t enqueue_outgoing(pqxx::dbtransaction& tx, const outgoing_call& call) {
  pqxx::binarystring body(call.body);
  return db::exec_prepared_sql(
             tx,
             "INSERT INTO telegram_outbox (chat_id, lane, method, content_type, body, update_id,"
             " paid_broadcast) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             call.chat_id, call.lane, call.method, call.content_type, body, call.update_id,
             call.paid_broadcast)[0][0]
      .as<int64_t>();
}

std::vector<outgoing_call> queued_outgoing(pqxx::dbtransaction& tx, int64_t after_id, int limit) {
  return to_calls(db::exec_prepared_sql(
      tx, std::string(outgoing_columns) + "WHERE state = 'queued' AND id > $1 ORDER BY id LIMIT $2",
      after_id, limit));
}

std::vector<outgoing_call> queued_outgoing(pqxx::dbtransaction& tx,
                                           const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  return to_calls(
      db::exec_prepared_sql(tx,
                            std::string(outgoing_columns) +
                                "WHERE state = 'queued' AND id = ANY($1::bigint[]) ORDER BY id",
                            id_array(ids)));
}

std::vector<int64_t> mark_outgoing_sending(pqxx::dbtransaction& tx,
                                           const std::vector<int64_t>& ids) {
  std::vector<int64_t> marked;
  if (ids.empty()) return marked;
  for (const auto& row : db::exec_prepared_sql(
           tx,
           "UPDATE telegram_outbox SET state = 'sending' WHERE id = ANY($1::bigint[]) AND state IN"
           " ('queued', 'sending') RETURNING id",
           id_array(ids)))
    marked.push_back(row[0].as<int64_t>());
  return marked;
}

void mark_outgoing_sent(pqxx::dbtransaction& tx, const std::vector<int64_t>& ids) {
  if (ids.empty()) return;
  db::exec_prepared_sql(
      tx, "UPDATE telegram_outbox SET state = 'sent', sent_at = now() WHERE id = ANY($1::bigint[])",
      id_array(ids));
}

void mark_outgoing_failed(pqxx::dbtransaction& tx, int64_t id, const std::string& error) {
  db::exec_prepared_sql(
      tx, "UPDATE telegram_outbox SET state = 'failed', last_error = $2 WHERE id = $1", id, error);
}

settled_in_flight settle_in_flight(pqxx::dbtransaction& tx,
                                   const std::function<bool(const std::string&, int)>& resend) {
  std::vector<int64_t> again, doubt;
  for (const auto& row :
       tx.exec("SELECT id, method, lane FROM telegram_outbox WHERE state = 'sending' FOR UPDATE"))
    (resend(row[1].as<std::string>(), row[2].as<int>()) ? again : doubt)
        .push_back(row[0].as<int64_t>());
  if (!again.empty())
    db::exec_prepared_sql(
        tx, "UPDATE telegram_outbox SET state = 'queued' WHERE id = ANY($1::bigint[])",
        id_array(again));
  if (!doubt.empty())
    db::exec_prepared_sql(
        tx, "UPDATE telegram_outbox SET state = 'in_doubt' WHERE id = ANY($1::bigint[])",
        id_array(doubt));
  return {static_cast<int64_t>(again.size()), static_cast<int64_t>(doubt.size())};
}

}  // namespace vpnbot::db
