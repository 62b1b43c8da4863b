#pragma once

// What other actors ask a panel actor (one per configured 3x-ui panel). The
// panel's configured inbound is implied; every request is answered with the
// value named below or a caf::error of the "panel" category
// (panel::panel_errc), never an exception.
//
//   self->request(panel, 30s, panel_add_client{client})
//       .then([](caf::ok_atom) { ... }, [](caf::error& e) { ... });
//
// The requester's timeout should cover the actor's own retries: about
// max_attempts × (call_timeout + retry_backoff_max).

#include <caf/meta/type_name.hpp>
#include <string>
#include <vector>

#include "messages/panel_client.hpp"
#include "messages/panel_client_traffic.hpp"
#include "messages/panel_inbound.hpp"

namespace vpnbot {

// -> panel_client: the client as the panel holds it. Adds the client (UUID,
// email and subId generated and stored before the call); a 3.1 panel may
// generate the UUID and subId itself, the caller stores what comes back. A
// client already there under our email is adopted (an earlier attempt got
// through): on the legacy API only when it holds our UUID.
struct panel_add_client {
  panel_client client;
};

// -> caf::ok_atom. Replaces the client with client.id as its UUID (legacy
// API) or client.email as its email (3.1 API) with `client`: extend
// (expiry_time_ms), disable / enable (enable), limits (total_bytes, limit_ip).
struct panel_update_client {
  panel_client client;
};

// -> caf::ok_atom. A client the panel does not have counts as deleted.
struct panel_delete_client {
  std::string client_id;  // the UUID (the legacy API's key)
  std::string email;      // the 3.1 API's key
};

// -> panel_client_traffic; panel_errc::client_not_found when the panel
// has no client with this email.
struct panel_get_traffic {
  std::string email;
};

// -> std::vector<panel_client>: the inbound's clients (reconcile).
struct panel_list_clients {};

// -> panel_inbound: the inbound with its settings, for share links.
// Local only (it holds decoded JSON).
struct panel_get_inbound {};

// -> std::vector<std::string>: the client's share links (vless://, ...) as
// the panel makes them: Remnawave's connection keys of the user with this
// email (its username); panel_errc::client_not_found when there is none.
// A 3x-ui panel answers panel_errc::invalid_argument: its links are built
// here from the inbound (panel_get_inbound).
struct panel_get_links {
  std::string email;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_add_client& x) {
  return f(caf::meta::type_name("panel_add_client"), x.client);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_update_client& x) {
  return f(caf::meta::type_name("panel_update_client"), x.client);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_delete_client& x) {
  return f(caf::meta::type_name("panel_delete_client"), x.client_id, x.email);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_get_traffic& x) {
  return f(caf::meta::type_name("panel_get_traffic"), x.email);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_list_clients&) {
  return f(caf::meta::type_name("panel_list_clients"));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_get_inbound&) {
  return f(caf::meta::type_name("panel_get_inbound"));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_get_links& x) {
  return f(caf::meta::type_name("panel_get_links"), x.email);
}

}  // namespace vpnbot
