#pragma once

// What the panel actor asks of a panel, independent of the API the panel
// speaks: each operation is one or more HTTP exchanges ("steps"); the
// protocol builds the request of a step and reads its reply into the next
// step, the operation's value or an error. Nothing here does I/O. Login,
// the session and the reading of the envelope are shared (xui_protocol).
//
// Implementations: xui_legacy_protocol (the /panel/api/inbounds client
// endpoints, v1.x to v3.0.x), xui31_protocol (/panel/api/clients, v3.1+)
// and remnawave_protocol (Remnawave's /api/users, a Bearer API token).
//
// The invariants every implementation keeps:
//   * create adopts a client that already has our email (a create repeated
//     after a crash or a lost answer), answering with the client as the
//     panel holds it, never a second client;
//   * delete of a client the panel does not have is done;
//   * update and traffic of a client the panel does not have are
//     panel_errc::client_not_found (the activation worker creates it again);
//   * list answers the clients of the configured inbound (Remnawave: all
//     users), for reconcile to pick ours from by their emails.

#include <caf/expected.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/outbound_request.hpp"
#include "adapters/panel/panel_api.hpp"
#include "adapters/panel/xui_model.hpp"
#include "adapters/panel/xui_protocol.hpp"

namespace vpnbot::panel {

// links: the client's share links as the panel makes them (Remnawave only;
// 3x-ui's are built from the inbound, and the panel actor refuses links to
// a 3x-ui panel before any call).
enum class panel_op { create, update, remove, traffic, list, inbound, links };

// One operation's input. create and update carry the whole client; remove
// the client's UUID (id) and email; traffic its email.
struct panel_call {
  panel_op op = panel_op::list;
  int64_t inbound_id = 0;
  xui_client client;
  // The panel's own key of the client as an earlier step found it (carry),
  // for a later step that needs it: Remnawave deletes by its numeric user id.
  std::string panel_ref{};
  // The clients (and their counters) of the pages read so far (carry), when
  // a list takes more than one page (Remnawave).
  std::vector<xui_client> gathered{};
  std::vector<xui_client_traffic> gathered_traffic{};
};

// The exchanges of an operation: lookup (is it there already?), write (the
// change itself), verify (read back after the panel said "exists").
enum class call_step { lookup, write, verify };

// An operation's value: ok (update, remove), the client as the panel holds
// it (create), a traffic row, the inbound's clients, the inbound, links.
using panel_value = std::variant<std::monostate, xui_client, xui_client_traffic,
                                 std::vector<xui_client>, xui_inbound, std::vector<std::string>>;

// What one reply leads to: another step, or the operation's value.
using step_outcome = std::variant<call_step, panel_value>;

class panel_protocol {
 public:
  virtual ~panel_protocol() = default;

  virtual panel_api api() const = 0;
  virtual call_step first_step(panel_op op) const = 0;
  virtual outbound_request request(const panel_call& call, call_step step,
                                   const xui_endpoint& panel, const xui_session& session) const = 0;
  // status and body of the step's reply; version as configured (nullopt:
  // unknown) for reading statuses.
  virtual caf::expected<step_outcome> read(const panel_call& call, call_step step, int status,
                                           std::string_view body,
                                           std::optional<xui_version> version) const = 0;
  // What a step's reply leaves for the later steps of the same call
  // (panel_call::panel_ref), before read; most APIs need nothing.
  virtual void carry(panel_call& /*call*/, call_step /*step*/, int /*status*/,
                     std::string_view /*body*/) const {}
};

std::unique_ptr<panel_protocol> make_panel_protocol(panel_api api);

}  // namespace vpnbot::panel
