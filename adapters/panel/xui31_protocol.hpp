#pragma once

// The panel protocol over 3x-ui 3.1's client API, {base}panel/api/clients
// (PROTOCOLS.md §1.8), the same {success,msg,obj} envelope:
//   create: GET get/:email first; a client with our email is adopted as it
//           is. Otherwise POST add {"client":{...},"inboundIds":[inbound]};
//           the panel may generate the UUID and subId itself, so the answer
//           is the client as the panel holds it (add's obj, or get/:email
//           when add answers no client or says the email exists);
//   update: POST update/:email {"client":{...},"inboundIds":[inbound]};
//   remove: POST del/:email, a client the panel does not have is done;
//   traffic: GET traffic/:email;
//   list, inbound: the inbound endpoints, which 3.1 kept (get/:inbound).
// A missing client is success:false with gorm's "record not found" or
// "Client Not Found"; both read as panel_errc::client_not_found.

#include "adapters/panel/panel_protocol.hpp"
#include "adapters/panel/xui_legacy_protocol.hpp"

namespace vpnbot::panel {

outbound_request clients_get_request(const xui_endpoint& panel, const xui_session& session,
                                     std::string_view email);
outbound_request clients_add_request(const xui_endpoint& panel, const xui_session& session,
                                     int64_t inbound_id, const xui_client& client);
outbound_request clients_update_request(const xui_endpoint& panel, const xui_session& session,
                                        int64_t inbound_id, const xui_client& client);
outbound_request clients_delete_request(const xui_endpoint& panel, const xui_session& session,
                                        std::string_view email);
outbound_request clients_traffic_request(const xui_endpoint& panel, const xui_session& session,
                                         std::string_view email);

// A client of the 3.1 API: its UUID may come as `uuid` (the client record's
// own numeric `id` is then ignored) or as `id`.
caf::expected<xui_client> parse_client31(const nlohmann::json& j);

class xui31_protocol final : public panel_protocol {
 public:
  panel_api api() const override { return panel_api::v3_1; }
  call_step first_step(panel_op op) const override;
  outbound_request request(const panel_call& call, call_step step, const xui_endpoint& panel,
                           const xui_session& session) const override;
  caf::expected<step_outcome> read(const panel_call& call, call_step step, int status,
                                   std::string_view body,
                                   std::optional<xui_version> version) const override;

 private:
  xui_legacy_protocol inbounds_;  // list and inbound: the endpoints 3.1 kept
};

}  // namespace vpnbot::panel
