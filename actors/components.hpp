#pragma once

// The actors that siblings across subtrees need: the database pool, the
// Telegram outbox and session manager, and the HTTP server. The root creates
// one `components` and hands it down through every subtree's spawn
// function; each of these actors publishes itself in its slot when it
// starts, and the others read the slot at each use. Nothing is looked up
// by a global name.

#include <caf/actor.hpp>
#include <caf/send.hpp>
#include <cstdint>
#include <utility>
#include <vector>

#include "actors/component_slot.hpp"
#include "messages/storage_interfaces.hpp"
#include "messages/telegram_interfaces.hpp"

namespace vpnbot {

struct components {
  slot_ref<db_pool_actor> db = make_slot<db_pool_actor>();
  slot_ref<outbox_actor> outbox = make_slot<outbox_actor>();
  slot_ref<session_manager_actor> sessions = make_slot<session_manager_actor>();
  slot_ref<caf::actor> http_server = make_slot<caf::actor>();

  // Tells the running outbox which rows were queued (after their commit); a
  // no-op when none runs, since an outbox loads everything queued when it
  // starts. The ids matter: transactions commit out of id order, so "rows
  // above the last one seen" would miss some.
  void kick_outbox(std::vector<int64_t> ids) const {
    if (ids.empty()) return;
    if (auto running = outbox->get()) caf::anon_send(running, outbox_kick_atom_v, std::move(ids));
  }

  // False when no session manager runs (the update stays stored; recovery at
  // the manager's start picks it up).
  bool kick_session(int64_t telegram_user_id) const {
    auto running = sessions->get();
    if (!running) return false;
    caf::anon_send(running, session_kick_atom_v, telegram_user_id);
    return true;
  }
};

}  // namespace vpnbot
