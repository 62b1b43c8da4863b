#pragma once

// The 3x-ui panel's HTTP API as data (PROTOCOLS.md §1): login, the requests
// of the legacy client API (v1.x to v3.0.x) and the reading of every reply;
// the 3.1 client API (xui31_protocol) builds on the same requests. Nothing
// here does I/O; the panel actor sends the outbound_request values and hands
// the status and body back to read_reply.
//
// Version differences that matter on the wire, as the Go source has them:
//   * session cookie `session` up to v2.3.x, `3x-ui` from v2.4.0;
//   * unauthenticated /panel/api/* (we always send X-Requested-With):
//     before v2.8.4 HTTP 401 with an envelope; v2.8.4 to v3.0.1 a bare 404;
//     from v3.0.2 a bare 401;
//   * v3.0.0+: POSTs with a cookie need X-CSRF-Token from GET {base}csrf-token,
//     a missing one gets a bare 403; a Bearer API token skips both;
//   * v3.1.0 removed the legacy client endpoints (a 404 while logged in).
// With the version unknown, every sign of an expired session counts.

#include <caf/expected.hpp>
#include <compare>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/outbound_request.hpp"
#include "adapters/panel/xui_model.hpp"

namespace vpnbot::panel {

struct xui_version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const xui_version&) const = default;
};

// "2.8.5", "v3.0.1"; nullopt for anything else.
std::optional<xui_version> parse_xui_version(std::string_view text);
// The name of the session cookie the panel sets (unknown version: "3x-ui").
std::string_view session_cookie_name(std::optional<xui_version> version);
// Whether this version may need CSRF tokens (unknown: yes, fetching one is harmless).
bool uses_csrf(std::optional<xui_version> version);
// Whether the legacy /panel/api/inbounds client endpoints exist (unknown: yes).
bool has_legacy_client_api(std::optional<xui_version> version);

// webBasePath as the panel normalises it: begins and ends with '/'
// ("" and "/" are "/", "abc" is "/abc/").
std::string normalize_base_path(std::string_view raw);

// Where a panel lives: "https://host:2053" and its normalised base path.
struct xui_endpoint {
  std::string origin;
  std::string base_path = "/";

  // origin + base_path + relative ("panel/api/inbounds/list").
  std::string url(std::string_view relative) const;
};

// Splits a configured panel URL ("https://host:2053/secret/") into origin
// and base path; nullopt unless it is http(s) with a host and no query.
std::optional<xui_endpoint> parse_endpoint(std::string_view panel_url);
// A configured panel URL: the configuration error text, or nothing when
// parse_endpoint takes it.
std::optional<std::string> check_endpoint(std::string_view panel_url);

struct xui_credentials {
  std::string username;
  std::string password;
  std::string two_factor_code;  // empty: not sent
};

// What authenticates our requests. With api_token set (v3.0+), it alone is
// sent as a Bearer token; otherwise the cookie and, on POSTs, the CSRF token.
struct xui_session {
  std::string cookie;      // "3x-ui=<value>", ready for the Cookie header
  std::string csrf_token;  // v3.0+
  std::string api_token;
};

enum class login_encoding { form, json };

// A request to {base}`relative` carrying what authenticates it (the Bearer
// token, or the cookie and on non-GETs the CSRF token).
outbound_request api_request(const xui_endpoint& panel, const xui_session& session,
                             std::string method, std::string_view relative);

outbound_request csrf_token_request(const xui_endpoint& panel, const xui_session& session);
outbound_request login_request(const xui_endpoint& panel, const xui_credentials& credentials,
                               const xui_session& session,
                               login_encoding encoding = login_encoding::form);
outbound_request list_inbounds_request(const xui_endpoint& panel, const xui_session& session);
outbound_request get_inbound_request(const xui_endpoint& panel, const xui_session& session,
                                     int64_t inbound_id);
outbound_request add_client_request(const xui_endpoint& panel, const xui_session& session,
                                    int64_t inbound_id, const xui_client& client);
// `old_client_id` is the key the panel has now (the UUID for vless); the
// body carries the full replacement.
outbound_request update_client_request(const xui_endpoint& panel, const xui_session& session,
                                       int64_t inbound_id, std::string_view old_client_id,
                                       const xui_client& client);
outbound_request delete_client_request(const xui_endpoint& panel, const xui_session& session,
                                       int64_t inbound_id, std::string_view client_id);
outbound_request client_traffics_request(const xui_endpoint& panel, const xui_session& session,
                                         std::string_view email);
outbound_request onlines_request(const xui_endpoint& panel, const xui_session& session);

// Reads any API reply: `obj` when success is true; otherwise an error
// classified by HTTP status (per version) and, for success:false, by the Go
// error text inside msg (panel_errc::duplicate_email, client_not_found,
// last_client, record_not_found, empty_client_id, else rejected). With the
// version unknown a bare 404 reads as session_expired; if it comes again
// right after a fresh login, the legacy API is gone (v3.1+).
caf::expected<nlohmann::json> read_reply(int status, std::string_view body,
                                         std::optional<xui_version> version);

// The login reply: success:false is panel_errc::login_failed.
caf::expected<void> read_login_reply(int status, std::string_view body,
                                     std::optional<xui_version> version);

// The CSRF token in the csrf-token reply.
caf::expected<std::string> read_csrf_reply(int status, std::string_view body,
                                           std::optional<xui_version> version);

// The session cookie among Set-Cookie values, as "name=value": the last
// live `3x-ui` or `session` cookie (a later deletion of the same name,
// empty or Max-Age ≤ 0, cancels it); nullopt when none.
std::optional<std::string> session_cookie(const std::vector<std::string>& set_cookie_values);

}  // namespace vpnbot::panel
