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

namespace cluster {
class leader_fence;
class cluster_board;
}  // namespace cluster

struct components {
  slot_ref<db_pool_actor> db = make_slot<db_pool_actor>();
  slot_ref<outbox_actor> outbox = make_slot<outbox_actor>();
  slot_ref<session_manager_actor> sessions = make_slot<session_manager_actor>();
  slot_ref<caf::actor> http_server = make_slot<caf::actor>();
  // On a cluster: the leader elector (actors/cluster/leader_elector.hpp),
  // and the fence its singletons' transactions check; null fence on a
  // single node.
  slot_ref<caf::actor> leader = make_slot<caf::actor>();
  std::shared_ptr<cluster::leader_fence> fence;
  // On a cluster: this node's router (actors/cluster/node_router.hpp); the
  // kicks below go through it to the node they are for.
  slot_ref<caf::actor> router = make_slot<caf::actor>();
  std::shared_ptr<cluster::cluster_board> board;  // for /readyz; null on a single node

  // Tells the running outbox which rows were queued (after their commit); a
  // no-op when none runs, since an outbox loads everything queued when it
  // starts. The ids matter: transactions commit out of id order, so "rows
  // above the last one seen" would miss some.
  void kick_outbox(std::vector<int64_t> ids) const {
    if (ids.empty()) return;
    if (auto running = outbox->get())
      caf::anon_send(running, outbox_kick_atom_v, std::move(ids));
    else if (auto r = router->get())  // a node that does not lead: the leader sends
      caf::anon_send(r, outbox_kick_atom_v, std::move(ids));
  }

  // The rows a committed transaction wrote to telegram_outbox, handed to
  // the outbox running here so it need not read them back; to a leader
  // elsewhere they go as a kick with their ids.
  void hand_outbox(std::vector<db::outgoing_call> rows) const {
    if (rows.empty()) return;
    if (auto running = outbox->get())
      return caf::anon_send(running, outbox_rows_atom_v, std::move(rows));
    std::vector<int64_t> ids;
    for (const auto& r : rows) ids.push_back(r.id);
    kick_outbox(std::move(ids));
  }

  // Has the session manager look for updates left unhandled (by a node
  // that died, on a cluster); a no-op when none runs.
  void recover_sessions() const {
    if (auto running = sessions->get()) caf::anon_send(running, recover_atom_v);
  }
  // False when no session manager runs (the update stays stored; recovery at
  // the manager's start picks it up).
  bool kick_session(int64_t telegram_user_id) const {
    if (auto r = router->get()) {  // on a cluster: to the user's owner
      caf::anon_send(r, session_kick_atom_v, telegram_user_id);
      return true;
    }
    auto running = sessions->get();
    if (!running) return false;
    caf::anon_send(running, session_kick_atom_v, telegram_user_id);
    return true;
  }
};

}  // namespace vpnbot
