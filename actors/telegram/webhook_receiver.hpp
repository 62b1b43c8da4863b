#pragma once

// Webhook mode: POST /telegram/webhook on the service's HTTP server.
//   * The X-Telegram-Bot-Api-Secret-Token header must equal telegram.
//     webhook_secret (constant-time compare), else 401 and nothing changes.
//   * A body that is not an update object is 400.
//   * The update is stored (deduplicated by update_id) before the 200, so
//     Telegram's retry covers a database outage (503 until it is back);
//     the user's session is kicked after the commit.
// At start it calls setWebhook with the URL, the secret and the update kinds,
// retrying until Telegram accepts. It registers its route with the running
// HTTP server, and again whenever that server restarted.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/telegram/endpoint.hpp"
#include "messages/http_client_interface.hpp"

namespace vpnbot::telegram {

inline constexpr const char* webhook_path = "/telegram/webhook";

struct webhook_receiver_config {
  endpoint api;
  http_client_actor http;  // client, for setWebhook
  std::string public_url;
  std::string secret;
  bool set_webhook = true;  // tests that post directly may skip it
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

caf::actor spawn_webhook_receiver(caf::actor_system& sys, webhook_receiver_config cfg);

}  // namespace vpnbot::telegram
