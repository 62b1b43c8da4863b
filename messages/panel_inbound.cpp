#include "messages/panel_inbound.hpp"

namespace vpnbot {

const panel_client* panel_inbound::find_client(std::string_view email) const {
  for (const auto& c : clients)
    if (c.email == email) return &c;
  return nullptr;
}

}  // namespace vpnbot
