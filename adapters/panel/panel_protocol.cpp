#include "adapters/panel/panel_protocol.hpp"

#include "adapters/panel/xui31_protocol.hpp"
#include "adapters/panel/xui_legacy_protocol.hpp"

namespace vpnbot::panel {

std::unique_ptr<panel_protocol> make_panel_protocol(panel_api api) {
  if (api == panel_api::v3_1) return std::make_unique<xui31_protocol>();
  return std::make_unique<xui_legacy_protocol>();
}

}  // namespace vpnbot::panel
