#pragma once

// The clients of an inbound as a listing reconcile may act on. An inbound
// whose settings hold no `clients` array (a reply cut short, a page that
// happened to parse, another kind of inbound) is not an empty listing but
// no listing at all: taken for empty it would make every client of ours
// look lost. It is a malformed_reply, so the reconcile run changes nothing.

#include <caf/expected.hpp>
#include <vector>

#include "adapters/panel/xui_model.hpp"

namespace vpnbot::panel {

caf::expected<std::vector<xui_client>> listed_clients(xui_inbound inbound);

}  // namespace vpnbot::panel
