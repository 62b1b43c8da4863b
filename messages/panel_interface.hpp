#pragma once

// The typed interface of a panel actor (one per configured panel): the
// requests of messages/panel.hpp with the answer each one gets, and the
// readiness question the supervisors ask (an open circuit is "not ready").

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <string>
#include <vector>

#include "messages/panel.hpp"
#include "messages/supervision.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {

using panel_actor =
    caf::typed_actor<caf::replies_to<panel_add_client>::with<panel_client>,
                     caf::replies_to<panel_update_client>::with<caf::ok_atom>,
                     caf::replies_to<panel_delete_client>::with<caf::ok_atom>,
                     caf::replies_to<panel_get_traffic>::with<panel_client_traffic>,
                     caf::replies_to<panel_list_clients>::with<std::vector<panel_client>>,
                     caf::replies_to<panel_get_inbound>::with<panel_inbound>,
                     caf::replies_to<panel_get_links>::with<std::vector<std::string>>,
                     caf::replies_to<readiness_atom>::with<readiness_report>>;

}  // namespace vpnbot
