#include "adapters/db/webhook_events_repository.hpp"

namespace vpnbot::db {

recorded_event record_webhook_event(pqxx::dbtransaction& tx, const std::string& provider,
                                    const std::string& event_id, const std::string& raw_body,
                                    const std::string& headers_json, bool signature_ok) {
  auto inserted = tx.exec_params(
      "INSERT INTO webhook_events (provider, event_id, raw_body, headers, signature_ok)"
      " VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (provider, event_id) DO NOTHING"
      " RETURNING id",
      provider, event_id, pqxx::binarystring(raw_body), headers_json, signature_ok);
  if (!inserted.empty()) return {inserted[0][0].as<int64_t>(), false, std::nullopt};
  auto existing = tx.exec_params1(
      "SELECT id, outcome FROM webhook_events WHERE provider = $1 AND event_id = $2", provider,
      event_id);
  recorded_event r{existing[0].as<int64_t>(), true, std::nullopt};
  if (!existing[1].is_null()) r.outcome = existing[1].as<std::string>();
  return r;
}

std::vector<stored_event> unprocessed_webhook_events(pqxx::dbtransaction& tx,
                                                     std::chrono::seconds age, int limit) {
  auto rows = tx.exec_params(
      "SELECT id, provider, raw_body FROM webhook_events WHERE signature_ok AND processed_at IS "
      "NULL"
      " AND received_at <= now() - make_interval(secs => $1) ORDER BY id LIMIT $2",
      static_cast<double>(age.count()), limit);
  std::vector<stored_event> out;
  for (const auto& row : rows)
    out.push_back(
        {row[0].as<int64_t>(), row[1].as<std::string>(), pqxx::binarystring(row[2]).str()});
  return out;
}

void mark_webhook_processed(pqxx::dbtransaction& tx, int64_t id, const std::string& outcome) {
  tx.exec_params("UPDATE webhook_events SET processed_at = now(), outcome = $2 WHERE id = $1", id,
                 outcome);
}

}  // namespace vpnbot::db
