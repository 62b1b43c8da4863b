#pragma once

// The typed interfaces of the Telegram actors others talk to: the outbox
// (kicked with the ids of rows committed to telegram_outbox, or handed the
// rows themselves) and the
// session manager (kicked with a user who has unhandled updates; asked by
// sessions whether they may stop, and by tests what runs).

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/type_ids.hpp"

namespace vpnbot {

using outbox_actor =
    caf::typed_actor<caf::reacts_to<outbox_kick_atom, std::vector<int64_t>>,
                     caf::reacts_to<outbox_rows_atom, std::vector<db::outgoing_call>>>;

using session_manager_actor =
    caf::typed_actor<caf::reacts_to<session_kick_atom, int64_t>, caf::reacts_to<recover_atom>,
                     caf::replies_to<idle_atom, int64_t>::with<bool>,
                     caf::replies_to<live_sessions_atom>::with<std::size_t>,
                     caf::replies_to<session_of_atom, int64_t>::with<caf::actor>,
                     caf::reacts_to<cluster_view_atom, std::vector<std::string>, std::string>>;

}  // namespace vpnbot
