#pragma once

// One actor per user with unhandled updates: it handles that user's updates
// one at a time, oldest first (conversation.hpp does the work in one
// transaction each), so one user's updates keep their order while different
// users proceed in parallel. Its state is the database's (telegram_updates,
// sessions), so a crash or a passivation loses nothing: the next kick starts
// a fresh incarnation where this one stopped.
//
// Messages: (session_kick_atom) — there may be new updates; (idle_atom) —
// the manager's sweep: when idle for idle_timeout it asks the manager
// (idle_atom, user id) -> bool and quits once the manager has forgotten it.

#include <caf/actor.hpp>
#include <chrono>
#include <memory>

#include "actors/components.hpp"
#include "actors/telegram/telegram_metrics.hpp"
#include "domain/bot/conversation.hpp"

namespace vpnbot::telegram {

// What all the sessions of one manager share: one copy for all of them, so
// that a resident session holds a pointer to it, not its own ~150 bytes.
struct session_context {
  std::shared_ptr<const bot_profile> bot;
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
  // Attempts at one update before it is given up with an apology.
  unsigned max_failures = 3;
  std::shared_ptr<const telegram_metrics> metrics;  // the manager's
  components wiring;                                // the siblings it talks to (components.hpp)
};

// What a session keeps for its life (a resident session holds a copy).
struct session_config {
  int64_t user_id = 0;  // the Telegram user id
  caf::actor manager;
  std::shared_ptr<const session_context> context;
};

// give_up_first: the manager saw this user's sessions crash repeatedly, so
// the oldest update is given up first.
caf::actor spawn_session(caf::local_actor* parent, session_config cfg, bool give_up_first = false);

}  // namespace vpnbot::telegram
