#pragma once

// The panel protocol over 3x-ui's legacy client endpoints
// (/panel/api/inbounds/*, v1.x to v3.0.x, PROTOCOLS.md §1.5):
//   create: addClient with our UUID; "Duplicate email" reads the inbound
//           back and adopts the client when it holds our UUID;
//   update: updateClient/:uuid with the full client;
//   remove: :inbound/delClient/:uuid, "Client Not Found" is done;
//   traffic: getClientTraffics/:email;
//   list, inbound: get/:inbound.

#include "adapters/panel/panel_protocol.hpp"

namespace vpnbot::panel {

class xui_legacy_protocol final : public panel_protocol {
 public:
  panel_api api() const override { return panel_api::legacy; }
  call_step first_step(panel_op op) const override;
  outbound_request request(const panel_call& call, call_step step, const xui_endpoint& panel,
                           const xui_session& session) const override;
  caf::expected<step_outcome> read(const panel_call& call, call_step step, int status,
                                   std::string_view body,
                                   std::optional<xui_version> version) const override;
};

}  // namespace vpnbot::panel
