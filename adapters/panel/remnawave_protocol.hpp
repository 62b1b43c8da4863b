#pragma once

// Remnawave's REST API as a panel_protocol: users under {base}api/users,
// every call authenticated by a Bearer API token (no login, no session),
// every answer the envelope {"response": ...}. Read against the contract
// package of remnawave/backend 3.3.2 (@remnawave/backend-contract 3.4.2,
// libs/contract/commands/users and subscriptions/get-by); not checked
// against a live panel.
//
// Our client is a Remnawave user:
//   username             our client email ("tg<user>-<subscription>")
//   vlessUuid            our client UUID (the create accepts it)
//   shortUuid            our subId (the create accepts it); the panel's
//                        subscriptionUrl ends with it
//   expireAt             expiry (ISO 8601, UTC; "never" is 2099-01-01)
//   trafficLimitBytes    the plan's traffic (0: unlimited), NO_RESET
//   hwidDeviceLimit      the plan's device limit
//   status               ACTIVE or DISABLED (LIMITED and EXPIRED, which the
//                        panel sets itself, read as enabled)
//   telegramId           the Telegram user
//   activeInternalSquads the configured squads, on create only
// The user's numeric `id` (the key of delete) and its `uuid` are the panel's.
//
// Operations:
//   create   GET by-username/{email}; 404: POST api/users; found (or a
//            create answered "username already exists"): PATCH api/users
//            to the wanted state, adopting it. The answer carries the
//            user's subscriptionUrl (xui_client::sub_url).
//   update   PATCH api/users by username (expireAt left out when it is not
//            in the future: the panel refuses a past one); 404:
//            client_not_found.
//   remove   GET by-username/{email}; 404: done; else DELETE api/users/{id}
//            (404 there too: done).
//   traffic  GET by-username/{email} (userTraffic); 404: client_not_found.
//   list     GET api/users?start=..&size=.., page by page: every user.
//   inbound  the same pages as one inbound without settings: the users as
//            its clients and their traffic as its client_stats (for the
//            traffic meter); no share link can be built from it.
//   links    GET by-username/{email}; 404: client_not_found; else GET
//            api/subscriptions/connection-keys/{id}: the enabled keys
//            (vless://... per host), for a plan that delivers a raw link.
// HTTP 401/403 is panel_errc::login_failed (the token is refused; not
// retried), 400 "username already exists" (A019) duplicate_email, any other
// 400 rejected.

#include <string>
#include <vector>

#include "adapters/panel/panel_protocol.hpp"

namespace vpnbot::panel {

// Users per page of list.
inline constexpr int remnawave_page_size = 500;

// The enabled keys of GET /api/subscriptions/connection-keys/:userId's
// response ({"enabledKeys": [...], "hiddenKeys": [...], "disabledKeys":
// [...]}): one share link per host the user's squads reach, in the panel's
// order. Hidden and disabled hosts' keys are not the user's to use.
caf::expected<std::vector<std::string>> parse_connection_keys(const nlohmann::json& response);

class remnawave_protocol final : public panel_protocol {
 public:
  // squads: the internal squad UUIDs a new user joins.
  explicit remnawave_protocol(std::vector<std::string> squads = {});

  panel_api api() const override { return panel_api::remnawave; }
  call_step first_step(panel_op op) const override;
  outbound_request request(const panel_call& call, call_step step, const xui_endpoint& panel,
                           const xui_session& session) const override;
  caf::expected<step_outcome> read(const panel_call& call, call_step step, int status,
                                   std::string_view body,
                                   std::optional<xui_version> version) const override;
  void carry(panel_call& call, call_step step, int status, std::string_view body) const override;

 private:
  std::vector<std::string> squads_;
};

// A user of the contract's ExtendedUsersSchema as our client.
caf::expected<xui_client> parse_remnawave_user(const nlohmann::json& user);
// The user's traffic (userTraffic.usedTrafficBytes as `down`).
caf::expected<xui_client_traffic> parse_remnawave_traffic(const nlohmann::json& user);

// Milliseconds since the epoch as the panel writes dates ("2025-01-17T15:38:45.065Z"),
// and back (a 'Z' or a ±hh:mm offset); nullopt when it is not such a date.
std::string remnawave_time(int64_t ms);
std::optional<int64_t> parse_remnawave_time(std::string_view text);

}  // namespace vpnbot::panel
