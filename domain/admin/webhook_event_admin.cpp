#include "domain/admin/webhook_event_admin.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::admin {

action_result<nlohmann::json> list_webhook_events(pqxx::dbtransaction& tx,
                                                  const std::optional<std::string>& status,
                                                  int limit) {
  if (status && *status != "dead" && *status != "pending" && *status != "processed")
    return bad_input("status", "expected dead, pending or processed");
  auto out = nlohmann::json::array();
  for (const auto& r : db::exec_prepared_sql(
           tx,
           "SELECT id, provider, event_id, signature_ok, to_char(received_at AT TIME ZONE 'UTC',"
           " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), outcome, attempts, body_length FROM webhook_events"
           " WHERE $1::text IS NULL OR ($1 = 'dead' AND outcome = 'dead') OR ($1 = 'pending' AND"
           " signature_ok AND processed_at IS NULL) OR ($1 = 'processed' AND processed_at IS NOT"
           " NULL AND outcome IS DISTINCT FROM 'dead') ORDER BY id DESC LIMIT $2",
           status, limit))
    out.push_back({{"id", r[0].as<int64_t>()},
                   {"provider", r[1].as<std::string>()},
                   {"event_id", r[2].as<std::string>()},
                   {"signature_ok", r[3].as<bool>()},
                   {"received_at", r[4].as<std::string>()},
                   {"outcome", r[5].is_null() ? nlohmann::json(nullptr)
                                              : nlohmann::json(r[5].as<std::string>())},
                   {"attempts", r[6].as<int>()},
                   {"body_length", r[7].as<int64_t>()}});
  return out;
}

action_result<event_reopened> replay_webhook_event(pqxx::dbtransaction& tx,
                                                   const acting_operator& who, int64_t id) {
  auto found = db::exec_prepared_sql(
      tx, "SELECT provider, outcome FROM webhook_events WHERE id = $1 FOR UPDATE", id);
  if (found.empty()) return not_found("no webhook event " + std::to_string(id));
  auto provider = found[0][0].as<std::string>();
  if (found[0][1].is_null() || found[0][1].as<std::string>() != "dead")
    return conflict("only a dead event is replayed; this one is " +
                    (found[0][1].is_null() ? std::string("still being processed")
                                           : found[0][1].as<std::string>()));
  db::exec_prepared_sql(tx,
                        "UPDATE webhook_events SET processed_at = NULL, outcome = NULL, attempts ="
                        " 0, next_attempt_at = now() WHERE id = $1",
                        id);
  audit_action(tx, who, "replay_webhook_event", "webhook_event:" + std::to_string(id),
               {{"provider", provider}});
  return event_reopened{id, provider};
}

}  // namespace vpnbot::admin
