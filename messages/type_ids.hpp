#pragma once

// The project's single CAF type-ID block. Every message type and atom an
// actor of vpnbot sends is registered here, grouped by subsystem. Types that
// only ever travel inside one process and carry pointers (reply channels) are
// declared unsafe next to their definition instead.

#include <caf/type_id.hpp>

#include "messages/http.hpp"
#include "messages/http_client.hpp"
#include "messages/http_responder.hpp"
#include "messages/outbox_rows.hpp"
#include "messages/panel.hpp"
#include "messages/storage.hpp"
#include "messages/supervision.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(vpnbot, caf::first_custom_type_id)

// -- supervision ----------------------------------------------------------
CAF_ADD_ATOM(vpnbot, vpnbot, get_children_atom, "children")
CAF_ADD_ATOM(vpnbot, vpnbot, readiness_atom, "ready")
CAF_ADD_ATOM(vpnbot, vpnbot, restart_atom, "restart")
CAF_ADD_ATOM(vpnbot, vpnbot, stop_child_atom, "stopchild")
CAF_ADD_ATOM(vpnbot, vpnbot, shutdown_atom, "shutdown")
CAF_ADD_ATOM(vpnbot, vpnbot, tick_atom, "tick")
// (next): a pass over several items moves on to the next one.
CAF_ADD_ATOM(vpnbot, vpnbot, next_atom, "next")
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::child_status))
CAF_ADD_TYPE_ID(vpnbot, (std::vector<vpnbot::child_status>))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::readiness_report))

// -- http -----------------------------------------------------------------
CAF_ADD_ATOM(vpnbot, vpnbot, register_route_atom, "route")
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::http_request))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::http_response))
CAF_ADD_ATOM(vpnbot, vpnbot, http_port_atom, "httpport")
CAF_ADD_ATOM(vpnbot, vpnbot, http_metrics_port_atom, "metricport")
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::http_client_request))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::http_client_response))

// -- storage --------------------------------------------------------------
CAF_ADD_ATOM(vpnbot, vpnbot, db_worker_ready_atom, "dbready")

// -- telegram -------------------------------------------------------------
// (outbox_kick, std::vector<int64_t> ids): new rows in telegram_outbox.
CAF_ADD_ATOM(vpnbot, vpnbot, outbox_kick_atom, "obkick")
CAF_ADD_TYPE_ID(vpnbot, (std::vector<int64_t>))
// (session_kick, int64_t telegram user id): that user has unhandled updates.
CAF_ADD_ATOM(vpnbot, vpnbot, session_kick_atom, "skick")
// (recover): look for unhandled updates left by an earlier run.
CAF_ADD_ATOM(vpnbot, vpnbot, recover_atom, "recover")
// (idle, uint64_t generation): a session's idle timer fired.
CAF_ADD_ATOM(vpnbot, vpnbot, idle_atom, "idle")
// (poll): the poller's next getUpdates.
CAF_ADD_ATOM(vpnbot, vpnbot, poll_atom, "poll")
// (pace): the outbox may send the next marked call.
CAF_ADD_ATOM(vpnbot, vpnbot, pace_atom, "pace")
// (flush): write the outbox's finished rows.
CAF_ADD_ATOM(vpnbot, vpnbot, flush_atom, "flush")
// (sweep): the outbox looks for queued rows it was not told about.
CAF_ADD_ATOM(vpnbot, vpnbot, sweep_atom, "sweep")
// (live_sessions) -> size_t: how many session actors run now.
CAF_ADD_ATOM(vpnbot, vpnbot, live_sessions_atom, "sessions")
// (session_of, int64_t telegram user id) -> caf::actor: that user's live
// session actor, or an invalid handle when none runs.
CAF_ADD_ATOM(vpnbot, vpnbot, session_of_atom, "sessof")
// -- panel ----------------------------------------------------------------
CAF_ADD_ATOM(vpnbot, vpnbot, panel_retry_atom, "pnlretry")
// (jobs_queued): a committed transaction queued activation jobs; lease now.
CAF_ADD_ATOM(vpnbot, vpnbot, jobs_queued_atom, "jobsq")
// (listen_again): the job listener connects again after losing its connection.
CAF_ADD_ATOM(vpnbot, vpnbot, listen_again_atom, "lstnagain")
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_add_client))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_update_client))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_delete_client))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_get_traffic))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_list_clients))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_get_inbound))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_client))
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_client_traffic))
CAF_ADD_TYPE_ID(vpnbot, (std::vector<vpnbot::panel_client>))
// -- payments -------------------------------------------------------------
// (webhook_replay): process stored webhook events not processed yet.
CAF_ADD_ATOM(vpnbot, vpnbot, webhook_replay_atom, "whreplay")

// -- cluster --------------------------------------------------------------
// (leader_subscribe, caf::actor): tell that actor this node's role, now and
// at every change.
CAF_ADD_ATOM(vpnbot, vpnbot, leader_subscribe_atom, "ldrsub")
// (leadership, int64_t token): this node leads the term `token`; 0: it
// does not lead.
CAF_ADD_ATOM(vpnbot, vpnbot, leadership_atom, "ldrship")
// (lease_check): the elector's term may have run out.
CAF_ADD_ATOM(vpnbot, vpnbot, lease_check_atom, "lsecheck")
// (cluster_view, std::vector<std::string> live nodes, std::string leader):
// the elector's latest view of the cluster, for the router. To a session
// manager, (cluster_view, nodes, this node): the nodes its router routes
// to; sessions of users another of them owns end.
CAF_ADD_ATOM(vpnbot, vpnbot, cluster_view_atom, "clview")
CAF_ADD_TYPE_ID(vpnbot, (std::vector<std::string>))
// Between nodes' routers: (cluster_hello, node name, router) greets a peer;
// (cluster_kick, user) kicks that user's session on the receiving node;
// (cluster_outbox, ids) kicks the receiving (leading) node's outbox.
CAF_ADD_ATOM(vpnbot, vpnbot, cluster_hello_atom, "clhello")
CAF_ADD_ATOM(vpnbot, vpnbot, cluster_kick_atom, "clkick")
CAF_ADD_ATOM(vpnbot, vpnbot, cluster_outbox_atom, "cloutbox")

// Added after the cluster's: a type's id is its place in this block, and
// nodes of two releases side by side (a rolling upgrade) must agree on the
// ids they share.
CAF_ADD_TYPE_ID(vpnbot, (vpnbot::panel_get_links))
// (outbox_rows, rows): see messages/outbox_rows.hpp.
CAF_ADD_ATOM(vpnbot, vpnbot, outbox_rows_atom, "obrows")

CAF_END_TYPE_ID_BLOCK(vpnbot)

#include <caf/actor_system_config.hpp>

namespace vpnbot {

// Registers the block with an actor system before it starts.
inline void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::vpnbot>();
}

}  // namespace vpnbot
