#include "adapters/panel/xui_legacy_protocol.hpp"

#include "adapters/panel/client_listing.hpp"
#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {

call_step xui_legacy_protocol::first_step(panel_op) const {
  return call_step::write;
}

outbound_request xui_legacy_protocol::request(const panel_call& call, call_step step,
                                              const xui_endpoint& panel,
                                              const xui_session& session) const {
  auto inbound = call.inbound_id;
  if (step == call_step::verify) return get_inbound_request(panel, session, inbound);
  switch (call.op) {
    case panel_op::create:
      return add_client_request(panel, session, inbound, call.client);
    case panel_op::update:
      return update_client_request(panel, session, inbound, call.client.id, call.client);
    case panel_op::remove:
      return delete_client_request(panel, session, inbound, call.client.id);
    case panel_op::traffic:
      return client_traffics_request(panel, session, call.client.email);
    case panel_op::list:
    case panel_op::inbound:
    case panel_op::links:  // refused by the panel actor
      break;
  }
  return get_inbound_request(panel, session, inbound);
}

caf::expected<step_outcome> xui_legacy_protocol::read(const panel_call& call, call_step step,
                                                      int status, std::string_view body,
                                                      std::optional<xui_version> version) const {
  auto reply = read_reply(status, body, version);
  std::optional<panel_errc> code;
  if (!reply) code = panel_error_code(reply.error());
  if (step == call_step::verify) {
    if (!reply) return reply.error();
    auto inbound = parse_inbound(*reply);
    if (!inbound) return inbound.error();
    // Ours if it holds our UUID: an earlier attempt got through.
    const auto* found = inbound->find_client(call.client.email);
    if (found && found->id == call.client.id) return step_outcome{panel_value{*found}};
    return caf::make_error(panel_errc::duplicate_email,
                           "email " + call.client.email + " belongs to another client");
  }
  switch (call.op) {
    case panel_op::create:
      if (code == panel_errc::duplicate_email) return step_outcome{call_step::verify};
      if (!reply) return reply.error();
      return step_outcome{panel_value{call.client}};
    case panel_op::update:
      if (!reply) return reply.error();
      return step_outcome{panel_value{}};
    case panel_op::remove:
      if (!reply && code != panel_errc::client_not_found) return reply.error();
      return step_outcome{panel_value{}};
    case panel_op::traffic: {
      if (code == panel_errc::record_not_found)
        return caf::make_error(panel_errc::client_not_found, call.client.email);
      if (!reply) return reply.error();
      auto traffic = parse_optional_client_traffic(*reply);
      if (!traffic) return traffic.error();
      if (!*traffic) return caf::make_error(panel_errc::client_not_found, call.client.email);
      return step_outcome{panel_value{std::move(**traffic)}};
    }
    case panel_op::links:
      return caf::make_error(panel_errc::invalid_argument, "links are built from the inbound");
    case panel_op::list:
    case panel_op::inbound:
      break;
  }
  if (!reply) return reply.error();
  auto inbound = parse_inbound(*reply);
  if (!inbound) return inbound.error();
  if (call.op == panel_op::inbound) return step_outcome{panel_value{std::move(*inbound)}};
  auto listed = listed_clients(std::move(*inbound));
  if (!listed) return listed.error();
  return step_outcome{panel_value{std::move(*listed)}};
}

}  // namespace vpnbot::panel
