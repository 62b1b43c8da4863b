#include "domain/workers/housekeeping.hpp"

#include "adapters/db/prepared.hpp"
#include "domain/workers/reminders.hpp"

namespace vpnbot::workers {

step_report keep_house(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                       const housekeeping_settings& settings) {
  step_report report;
  auto at = iso_utc(now);
  auto history = static_cast<double>(settings.keep_history.count());
  auto batch = static_cast<int>(settings.batch);
  // A skipped update carrying a payment stays: its charge id is the only
  // record of money Telegram took (handled ones live on in payments).
  report.processed +=
      db::exec_prepared_sql(
          tx,
          "DELETE FROM telegram_updates WHERE update_id IN (SELECT update_id FROM"
          " telegram_updates WHERE state <> 'received' AND received_at <"
          " $1::timestamptz - make_interval(secs => $2)"
          " AND (state <> 'skipped' OR raw #> '{message,successful_payment}' IS NULL)"
          " LIMIT $3)",
          at, history, batch)
          .affected_rows();
  report.processed += db::exec_prepared_sql(
                          tx,
                          "DELETE FROM telegram_outbox WHERE id IN (SELECT id FROM telegram_outbox"
                          " WHERE state IN ('sent', 'failed', 'in_doubt') AND created_at <"
                          " $1::timestamptz - make_interval(secs => $2) LIMIT $3)",
                          at, history, batch)
                          .affected_rows();
  report.processed += db::exec_prepared_sql(
                          tx,
                          "DELETE FROM webhook_events WHERE id IN (SELECT id FROM webhook_events"
                          " WHERE NOT signature_ok AND received_at <"
                          " $1::timestamptz - make_interval(secs => $2) LIMIT $3)",
                          at, static_cast<double>(settings.keep_unverified_webhooks.count()), batch)
                          .affected_rows();
  // An admin API client repeats a call within minutes; after keep_history a
  // key is free again.
  report.processed +=
      db::exec_prepared_sql(tx,
                            "DELETE FROM api_idempotency WHERE key IN (SELECT key FROM"
                            " api_idempotency WHERE created_at <"
                            " $1::timestamptz - make_interval(secs => $2) LIMIT $3)",
                            at, history, batch)
          .affected_rows();
  report.processed +=
      db::exec_prepared_sql(tx,
                            "UPDATE sessions SET fsm_state = 'main', data = '{}'::jsonb,"
                            " version = version + 1, updated_at = $1::timestamptz"
                            " WHERE user_id IN (SELECT user_id FROM sessions WHERE updated_at <"
                            " $1::timestamptz - make_interval(secs => $2)"
                            " AND (data <> '{}'::jsonb OR fsm_state <> 'main') LIMIT $3)",
                            at, static_cast<double>(settings.session_ttl.count()), batch)
          .affected_rows();
  return report;
}

}  // namespace vpnbot::workers
