#pragma once

// Long polling: the one getUpdates loop of the bot. Each batch is stored
// (update_store) and the offset persisted in one transaction before the next
// getUpdates confirms the batch to Telegram, so a crash at any point neither
// loses an update nor hands one over twice. Then the users' sessions are
// kicked. A 409 (another poller, or a webhook is set) and a rejected token
// are logged as what they are and retried only after conflict_backoff;
// other failures back off exponentially up to 30 s.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/telegram/endpoint.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot::telegram {

struct update_poller_config {
  endpoint api;
  int64_t bot_id = 0;  // the digits before ':' in the token; keys the stored offset
  http_client_actor http;
  std::chrono::milliseconds poll_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds conflict_backoff{std::chrono::seconds(30)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_update_poller(caf::actor_system& sys, update_poller_config cfg);

// The bot id of a token ("123456:ABC..." -> 123456), 0 when it has none.
int64_t bot_id_of_token(std::string_view token);

}  // namespace vpnbot::telegram
