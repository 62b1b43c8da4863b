#pragma once

// The Telegram subsystem's metrics, declared once (docs/METRICS.md,
// "Telegram"): the outbox, the update sources and the sessions.

#include "adapters/metrics/family.hpp"

namespace vpnbot::telegram {

struct telegram_metrics {
  explicit telegram_metrics(metrics::registry& r)
      : sent(r, "vpnbot_telegram_sent_total", "Bot API calls by method and outcome",
             {"method", "outcome"}),
        too_many_requests(r, "vpnbot_telegram_429_total", "Bot API answers 429 Too Many Requests"),
        retries(r, "vpnbot_telegram_retries_total", "Bot API calls sent again"),
        send_seconds(r, "vpnbot_telegram_send_seconds", "Bot API call latency", {"method"}),
        outbox_queued(r, "vpnbot_telegram_outbox_queued",
                      "Bot API calls waiting in the outbox, by lane", {"lane"}),
        in_doubt(r, "vpnbot_telegram_in_doubt_total",
                 "Bot API calls that were in flight when the process stopped"),
        resent_after_crash(r, "vpnbot_telegram_resent_after_crash_total",
                           "Bot API calls in flight at a crash and sent again (harmless twice)"),
        polls(r, "vpnbot_telegram_polls_total", "getUpdates calls by outcome", {"outcome"}),
        updates_received(r, "vpnbot_telegram_updates_received_total", "New updates stored"),
        webhook_requests(r, "vpnbot_telegram_webhook_requests_total", "Webhook requests by outcome",
                         {"outcome"}),
        updates(r, "vpnbot_telegram_updates_total", "Updates handled by outcome", {"outcome"}),
        update_seconds(r, "vpnbot_telegram_update_seconds", "Time to handle one update"),
        sessions_live(r, "vpnbot_telegram_sessions_live", "Session actors running"),
        sessions_spawned(r, "vpnbot_telegram_sessions_spawned_total", "Session actors started"),
        sessions_passivated(r, "vpnbot_telegram_sessions_passivated_total",
                            "Session actors stopped after being idle"),
        session_crashes(r, "vpnbot_telegram_session_crashes_total", "Session actors that crashed"),
        payment_update_retries(r, "vpnbot_telegram_payment_update_retries_total",
                               "Retries of an update carrying a payment after it failed as often as"
                               " an update is allowed to before it is given up") {}

  metrics::counter_family sent;
  metrics::counter_family too_many_requests;
  metrics::counter_family retries;
  metrics::histogram_family send_seconds;
  metrics::gauge_family outbox_queued;
  metrics::counter_family in_doubt;
  metrics::counter_family resent_after_crash;
  metrics::counter_family polls;
  metrics::counter_family updates_received;
  metrics::counter_family webhook_requests;
  metrics::counter_family updates;
  metrics::histogram_family update_seconds;
  metrics::gauge_family sessions_live;
  metrics::counter_family sessions_spawned;
  metrics::counter_family sessions_passivated;
  metrics::counter_family session_crashes;
  metrics::counter_family payment_update_retries;
};

}  // namespace vpnbot::telegram
