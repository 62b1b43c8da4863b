#include "adapters/panel/xui31_protocol.hpp"

#include "adapters/codec/ascii.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

constexpr std::string_view clients_api = "panel/api/clients/";

std::string path(std::string_view action, std::string_view email) {
  return std::string(clients_api) + std::string(action) + "/" + codec::path_segment_escape(email);
}

outbound_request with_client(outbound_request r, int64_t inbound_id, const xui_client& client) {
  json body = {{"client", to_json(client)}, {"inboundIds", json::array({inbound_id})}};
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

bool not_found(const std::optional<panel_errc>& code) {
  return code == panel_errc::record_not_found || code == panel_errc::client_not_found;
}

// The client found under our email, adopted: the panel compares emails
// without case, so does this.
caf::expected<step_outcome> adopt(const panel_call& call, const json& obj) {
  auto found = parse_client31(obj);
  if (!found) return found.error();
  if (codec::ascii_lower(found->email) != codec::ascii_lower(call.client.email))
    return caf::make_error(panel_errc::malformed_reply,
                           "get/" + call.client.email + " answered client " + found->email);
  return step_outcome{panel_value{std::move(*found)}};
}

}  // namespace

outbound_request clients_get_request(const xui_endpoint& panel, const xui_session& session,
                                     std::string_view email) {
  return api_request(panel, session, "GET", path("get", email));
}

outbound_request clients_add_request(const xui_endpoint& panel, const xui_session& session,
                                     int64_t inbound_id, const xui_client& client) {
  return with_client(api_request(panel, session, "POST", std::string(clients_api) + "add"),
                     inbound_id, client);
}

outbound_request clients_update_request(const xui_endpoint& panel, const xui_session& session,
                                        int64_t inbound_id, const xui_client& client) {
  return with_client(api_request(panel, session, "POST", path("update", client.email)), inbound_id,
                     client);
}

outbound_request clients_delete_request(const xui_endpoint& panel, const xui_session& session,
                                        std::string_view email) {
  return api_request(panel, session, "POST", path("del", email));
}

outbound_request clients_traffic_request(const xui_endpoint& panel, const xui_session& session,
                                         std::string_view email) {
  return api_request(panel, session, "GET", path("traffic", email));
}

caf::expected<xui_client> parse_client31(const json& j) {
  if (!j.is_object())
    return caf::make_error(panel_errc::malformed_reply, "client is not a JSON object");
  json copy = j;
  if (auto uuid = copy.find("uuid"); uuid != copy.end() && uuid->is_string())
    copy["id"] = uuid->get<std::string>();
  else if (auto id = copy.find("id"); id != copy.end() && !id->is_string())
    copy.erase("id");
  return parse_client(copy);
}

call_step xui31_protocol::first_step(panel_op op) const {
  return op == panel_op::create ? call_step::lookup : call_step::write;
}

outbound_request xui31_protocol::request(const panel_call& call, call_step step,
                                         const xui_endpoint& panel,
                                         const xui_session& session) const {
  const auto& email = call.client.email;
  switch (call.op) {
    case panel_op::create:
      if (step == call_step::write)
        return clients_add_request(panel, session, call.inbound_id, call.client);
      return clients_get_request(panel, session, email);
    case panel_op::update:
      return clients_update_request(panel, session, call.inbound_id, call.client);
    case panel_op::remove:
      return clients_delete_request(panel, session, email);
    case panel_op::traffic:
      return clients_traffic_request(panel, session, email);
    case panel_op::list:
    case panel_op::inbound:
    case panel_op::links:  // refused by the panel actor
      break;
  }
  return inbounds_.request(call, step, panel, session);
}

caf::expected<step_outcome> xui31_protocol::read(const panel_call& call, call_step step, int status,
                                                 std::string_view body,
                                                 std::optional<xui_version> version) const {
  if (call.op == panel_op::list || call.op == panel_op::inbound)
    return inbounds_.read(call, step, status, body, version);
  auto reply = read_reply(status, body, version);
  std::optional<panel_errc> code;
  if (!reply) code = panel_error_code(reply.error());
  switch (call.op) {
    case panel_op::create:
      if (step == call_step::lookup && not_found(code)) return step_outcome{call_step::write};
      if (step == call_step::write) {
        // Someone (an earlier attempt whose answer was lost) was faster.
        if (code == panel_errc::duplicate_email) return step_outcome{call_step::verify};
        if (!reply) return reply.error();
        if (!reply->is_object()) return step_outcome{call_step::verify};
      }
      if (!reply) return reply.error();
      return adopt(call, *reply);
    case panel_op::update:
      if (not_found(code)) return caf::make_error(panel_errc::client_not_found, call.client.email);
      if (!reply) return reply.error();
      return step_outcome{panel_value{}};
    case panel_op::remove:
      if (!reply && !not_found(code)) return reply.error();
      return step_outcome{panel_value{}};
    case panel_op::traffic: {
      if (not_found(code)) return caf::make_error(panel_errc::client_not_found, call.client.email);
      if (!reply) return reply.error();
      auto traffic = parse_optional_client_traffic(*reply);
      if (!traffic) return traffic.error();
      if (!*traffic) return caf::make_error(panel_errc::client_not_found, call.client.email);
      return step_outcome{panel_value{std::move(**traffic)}};
    }
    case panel_op::list:
    case panel_op::inbound:
    case panel_op::links:  // refused by the panel actor
      break;
  }
  return caf::make_error(panel_errc::invalid_argument, "no such operation");
}

}  // namespace vpnbot::panel
