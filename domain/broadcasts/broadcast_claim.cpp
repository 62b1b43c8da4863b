#include "domain/broadcasts/broadcast_claim.hpp"

#include <stdexcept>

#include "adapters/db/id_array.hpp"
#include "adapters/db/prepared.hpp"
#include "domain/broadcasts/broadcast_message.hpp"

namespace vpnbot::broadcasts {
namespace {

broadcast_spec spec_of(const pqxx::row& r) {
  broadcast_spec s;
  s.text = r["text"].as<std::string>();
  if (!r["button_text"].is_null()) {
    s.button = broadcast_button{r["button_text"].as<std::string>(), std::nullopt};
    if (!r["button_url"].is_null()) s.button->url = r["button_url"].as<std::string>();
  }
  s.paid = r["paid"].as<bool>();
  return s;
}

}  // namespace

claim_report claim_next(pqxx::dbtransaction& tx, int window, int paid_window) {
  claim_report report;
  // The broadcast's row is locked for the step, so a pause or cancel waits
  // for it and a cancel's pending rows are never claimed after it.
  auto running = db::exec_prepared_sql(
      tx,
      "SELECT b.id, b.text, b.button_text, b.button_url, b.paid,"
      " (SELECT count(*) FROM broadcast_recipients r"
      "   WHERE r.broadcast_id = b.id AND r.state = 'queued') AS queued"
      " FROM broadcasts b WHERE b.state = 'running' ORDER BY b.id FOR NO KEY UPDATE SKIP LOCKED");
  std::vector<int64_t> queued_rows;
  for (const auto& b : running) {
    auto id = b["id"].as<int64_t>();
    auto queued = b["queued"].as<int64_t>();
    auto spec = spec_of(b);
    auto limit = spec.paid ? paid_window : window;
    auto room = limit - queued;
    if (room < limit / 2) continue;
    auto pending = db::exec_prepared_sql(tx,
                                         "SELECT user_id, chat_id FROM broadcast_recipients"
                                         " WHERE broadcast_id = $1 AND state = 'pending'"
                                         " ORDER BY user_id LIMIT $2",
                                         id, room);
    if (pending.empty()) {
      if (queued == 0) {
        db::exec_prepared_sql(tx,
                              "UPDATE broadcasts SET state = 'done', updated_at = now(),"
                              " finished_at = now() WHERE id = $1",
                              id);
        ++report.finished;
      }
      continue;
    }
    std::vector<int64_t> users, rows;
    for (const auto& r : pending) {
      auto row = outbox_row(r[1].as<int64_t>(), spec);
      // create checked the spec; a refusal now is a bug: roll back, let the
      // supervisor see it.
      if (!row) throw std::logic_error("a broadcast message was refused: " + row.error());
      users.push_back(r[0].as<int64_t>());
      rows.push_back(db::enqueue_outgoing(tx, *row));
    }
    queued_rows.insert(queued_rows.end(), rows.begin(), rows.end());
    db::exec_prepared_sql(tx,
                          "UPDATE broadcast_recipients r SET state = 'queued', outbox_id = c.oid"
                          " FROM unnest($2::bigint[], $3::bigint[]) AS c(uid, oid)"
                          " WHERE r.broadcast_id = $1 AND r.user_id = c.uid",
                          id, db::id_array(users), db::id_array(rows));
  }
  report.outbox_ids = std::move(queued_rows);
  return report;
}

}  // namespace vpnbot::broadcasts
