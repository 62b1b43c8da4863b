#pragma once

// Spawns, finds and forgets the per-user session actors. It learns the bot's
// username with getMe before it starts any session (deep links and
// "/start@bot" need it), then:
//   (session_kick_atom, int64_t user)  -> the user's session, spawned on
//       demand, is kicked;
//   (recover_atom)                      -> every user with unhandled updates
//       in the database is kicked (sent at start: updates stored by an
//       earlier run are never lost);
//   (idle_atom, int64_t user) -> bool   -> an idle session may go;
//   (live_sessions_atom) -> size_t;
//   (session_of_atom, int64_t user) -> caf::actor (invalid when none runs).
// A session that crashes is restarted at once if its user still has work;
// after repeated crashes within a minute its oldest update is given up.
//
// Publishes itself in wiring.sessions; others kick a user with
// components::kick_session.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/components.hpp"
#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "domain/bot/conversation.hpp"
#include "messages/http_client_interface.hpp"
#include "messages/telegram_interfaces.hpp"

namespace vpnbot::telegram {

struct session_manager_config {
  bot_profile bot;         // username filled in from getMe
  http_client_actor http;  // for getMe
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
  metrics::registry* registry = &metrics::global();
  components wiring;  // the siblings it talks to (components.hpp)
};

session_manager_actor spawn_session_manager(caf::actor_system& sys, session_manager_config cfg);

}  // namespace vpnbot::telegram
