#pragma once

// The only sender of Bot API calls. Replies are rows in telegram_outbox,
// written by whoever decided them in the same transaction; the outbox loads
// the rows it is kicked with (outbox_kick_atom, ids), schedules them with
// telegram::outbox_queue (lanes, global and per-chat token buckets, 429
// holds), marks each released batch 'sending' before the HTTP calls and
// 'sent' or 'failed' after. At start, rows a crash left 'sending' are
// queued again or become in_doubt, as resend_after_crash says; so on a
// single node the calls it would queue again are not marked at all.
//
// Publishes itself in wiring.outbox; others kick it with
// components::kick_outbox.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/telegram/endpoint.hpp"
#include "adapters/telegram/outbox_queue.hpp"
#include "messages/http_client_interface.hpp"
#include "messages/telegram_interfaces.hpp"

namespace vpnbot::telegram {

struct outbox_config {
  endpoint api;
  http_client_actor http;  // the http_client actor
  outbox_settings rates;
  // Messages of a paid broadcast (allow_paid_broadcast) are scheduled apart,
  // below the other lanes, at this rate instead of rates.global_rate
  // (telegram.paid_broadcast_rate). Telegram charges 0.1 Star per message
  // above the free 30/s.
  double paid_broadcast_rate = 1000;
  metrics::registry* registry = &metrics::global();
  std::size_t batch = 200;  // rows loaded and released per round
  // Released and not yet answered (marking, in the line, on the wire), at
  // most: beyond the HTTP client's pool, calls would open connections of
  // their own (telegram.max_in_flight).
  std::size_t max_in_flight = 64;
  std::chrono::milliseconds flush_interval{20};
  // How often queued rows nobody kicked are looked for (a kick lost with
  // an actor that died right after its commit).
  std::chrono::milliseconds sweep_interval{std::chrono::seconds(5)};
  components wiring;  // the siblings it talks to (components.hpp)
};

outbox_actor spawn_outbox(caf::actor_system& sys, outbox_config cfg);

}  // namespace vpnbot::telegram
