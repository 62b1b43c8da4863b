#include "adapters/db/webhook_events_repository.hpp"

#include <string_view>

#include "adapters/crypto/digest.hpp"
#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

recorded_event record_webhook_event(pqxx::dbtransaction& tx, const std::string& provider,
                                    const std::string& event_id, const std::string& raw_body,
                                    const std::string& headers_json, bool signature_ok,
                                    std::size_t body_cap) {
  auto kept = std::string_view(raw_body).substr(0, body_cap);
  auto inserted = db::exec_prepared_sql(
      tx,
      "INSERT INTO webhook_events"
      " (provider, event_id, raw_body, headers, signature_ok, body_length, body_sha256)"
      " VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT (provider, event_id) DO NOTHING"
      " RETURNING id",
      provider, event_id, pqxx::binarystring(kept.data(), kept.size()), headers_json, signature_ok,
      static_cast<int64_t>(raw_body.size()),
      pqxx::binarystring(crypto::digest(crypto::hash_algorithm::sha256, raw_body)));
  if (!inserted.empty()) return {inserted[0][0].as<int64_t>(), false, std::nullopt};
  auto existing = db::exec_prepared_sql1(
      tx, "SELECT id, outcome FROM webhook_events WHERE provider = $1 AND event_id = $2", provider,
      event_id);
  recorded_event r{existing[0].as<int64_t>(), true, std::nullopt};
  if (!existing[1].is_null()) r.outcome = existing[1].as<std::string>();
  return r;
}

namespace {

std::vector<stored_event> events_of(const pqxx::result& rows) {
  std::vector<stored_event> out;
  for (const auto& row : rows)
    out.push_back(
        {row[0].as<int64_t>(), row[1].as<std::string>(), pqxx::binarystring(row[2]).str()});
  return out;
}

}  // namespace

claimed_events claim_due_webhook_events(pqxx::dbtransaction& tx, const replay_policy& policy) {
  claimed_events out;
  out.dead = events_of(db::exec_prepared_sql(
      tx,
      "UPDATE webhook_events SET processed_at = now(), outcome = 'dead' WHERE id IN ("
      " SELECT id FROM webhook_events WHERE signature_ok AND processed_at IS NULL"
      " AND attempts >= $1 AND next_attempt_at <= now()"
      " ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)"
      " RETURNING id, provider, raw_body",
      policy.max_attempts, policy.limit));
  out.due = events_of(db::exec_prepared_sql(
      tx,
      "UPDATE webhook_events SET attempts = attempts + 1, next_attempt_at = now()"
      " + least($4::float8, $3::float8 * power(2, attempts)) * interval '1 millisecond'"
      " WHERE id IN ("
      " SELECT id FROM webhook_events WHERE signature_ok AND processed_at IS NULL"
      " AND attempts < $1 AND next_attempt_at <= now()"
      " AND received_at <= now() - make_interval(secs => $5)"
      " ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)"
      " RETURNING id, provider, raw_body",
      policy.max_attempts, policy.limit, static_cast<double>(policy.backoff_min.count()),
      static_cast<double>(policy.backoff_max.count()), static_cast<double>(policy.age.count())));
  return out;
}

void mark_webhook_processed(pqxx::dbtransaction& tx, int64_t id, const std::string& outcome) {
  db::exec_prepared_sql(tx,
                        "UPDATE webhook_events SET processed_at = now(), outcome = $2 WHERE id = $1"
                        " AND (processed_at IS NULL OR outcome IN ('not_final', 'dead'))",
                        id, outcome);
}

}  // namespace vpnbot::db
