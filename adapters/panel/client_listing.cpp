#include "adapters/panel/client_listing.hpp"

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {

caf::expected<std::vector<xui_client>> listed_clients(xui_inbound inbound) {
  auto clients = inbound.settings.find("clients");
  if (clients == inbound.settings.end() || !clients->is_array())
    return caf::make_error(panel_errc::malformed_reply,
                           "inbound: settings hold no clients array, not a listing");
  return std::move(inbound.clients);
}

}  // namespace vpnbot::panel
