#pragma once

// An emulator of a Remnawave panel on loopback, for tests. It serves the
// users API of remnawave/backend 3.3.2 (@remnawave/backend-contract 3.4.2,
// libs/contract/commands/users) the way the contract describes it:
//
//   * every call under /api needs `Authorization: Bearer <api_token>`;
//     without it, or with another token, HTTP 401 {"message":"Unauthorized"};
//   * POST   /api/users                       create (201): username
//     [a-zA-Z0-9_-]{3,36} and expireAt required; vlessUuid and shortUuid kept
//     when sent, generated otherwise, like `uuid`, the numeric `id` and the
//     subscriptionUrl ({sub_public_url}/{shortUuid}); a taken username is
//     400 with errorCode A019;
//   * PATCH  /api/users                       update by username (or id); a
//     status other than ACTIVE or DISABLED, or an expireAt not in the
//     future, is 400; unknown user 404 (A025);
//   * GET    /api/users/by-username/:username one user, 404 (A025) if none;
//   * GET    /api/users?start=&size=           a page (size ≤ 1000) and the total;
//   * DELETE /api/users/:id                   204; 404 if none;
//   * POST   /api/users/:id/actions/enable|disable;
//   * GET    /api/subscriptions/connection-keys/:id  the user's share links
//     ({"enabledKeys": [...], "hiddenKeys": [], "disabledKeys": []}), one
//     per configured host in order (vless://uuid@address:port?...#remark,
//     trojan://password@..., ss://...); 404 (A025) if no such user.
// Every answer is the envelope {"response": ...}; users have the shape of
// the contract's ExtendedUsersSchema (userTraffic included).
//
// Faults, per operation (as the 3x-ui emulator's): the next N calls answer
// a bare 5xx, every k-th call does, the next N calls answer late (the change
// is applied at once, only the answer is held back), the panel is down (the
// connection closes without an answer), the token is changed or revoked
// (401 from then on). Every call is recorded with its body and answer.

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "messages/panel_client.hpp"

namespace vpnbot::emulators {

enum class remnawave_op {
  create_user,
  update_user,
  get_user,  // by-username
  list_users,
  delete_user,
  enable_user,
  disable_user,
  connection_keys,
  unknown,
};

std::string_view to_string(remnawave_op op);

struct remnawave_call {
  remnawave_op op = remnawave_op::unknown;
  std::string method;
  std::string path;  // without the query
  std::string query;
  std::string body;
  nlohmann::json params;  // the JSON body when it is an object; else null
  bool bearer = false;    // an Authorization: Bearer header was sent
  int status = 0;         // what the emulator answered
};

// A host of the panel (its address and port, the inbound's protocol) as
// the connection keys show it.
struct remnawave_host {
  std::string protocol = "vless";  // vless, trojan or shadowsocks
  std::string address = "nl.vpn.example.com";
  int port = 443;
  std::string remark = "NL";
};

struct remnawave_emulator_options {
  std::string api_token = "remnawave-emulator-token";
  // Where subscriptions are served (the panel's SUB_PUBLIC_DOMAIN).
  std::string sub_public_url = "https://sub.example.com";
  // The hosts every user's squads reach; none: no connection key.
  std::vector<remnawave_host> hosts = {remnawave_host{}};
  bool tls = false;
};

class remnawave_emulator {
 public:
  explicit remnawave_emulator(remnawave_emulator_options o = {});
  ~remnawave_emulator();
  remnawave_emulator(const remnawave_emulator&) = delete;
  remnawave_emulator& operator=(const remnawave_emulator&) = delete;

  // "http://127.0.0.1:<port>/": what a panel's base_url is.
  std::string base_url() const;
  const remnawave_emulator_options& options() const;

  // -- faults ---------------------------------------------------------------
  // The next `times` calls of `op` answer a bare `status`, changing nothing.
  void fail_next(remnawave_op op, int times = 1, int status = 500);
  // Intermittent: every k-th call of `op` from now on answers a bare `status`.
  void fail_every(remnawave_op op, int k, int status = 500);
  // Drops the failures still queued for `op`.
  void recover(remnawave_op op);
  // The next `times` calls of `op` are carried out but answered after `delay`.
  void delay_next(remnawave_op op, std::chrono::milliseconds delay, int times = 1);
  // The API token changed (rotated or revoked): the old one gets 401.
  void set_api_token(std::string token);
  // Down: every connection is closed without an answer; up: served again.
  void set_down(bool down);
  // The operator changed the panel's hosts.
  void set_hosts(std::vector<remnawave_host> hosts);

  // -- state ----------------------------------------------------------------
  std::vector<remnawave_call> calls() const;
  std::vector<remnawave_call> calls(remnawave_op op) const;
  std::size_t call_count(remnawave_op op) const;
  // The users as the API answers them (ExtendedUsersSchema), by id.
  std::vector<nlohmann::json> users() const;
  std::optional<nlohmann::json> user(const std::string& username) const;
  // A user made by hand in the panel (not ours): username, ACTIVE, no limits.
  nlohmann::json seed_user(const std::string& username,
                           std::chrono::system_clock::time_point expire_at =
                               std::chrono::system_clock::now() + std::chrono::hours(24 * 30));
  // A user of ours put back by hand as `client` describes it: its identity
  // (vlessUuid, shortUuid), expiry, status and limits.
  nlohmann::json seed_user(const panel_client& client);
  // Deleted by hand in the panel.
  void drop_user(const std::string& username);
  // Changed by hand in the panel: status (ACTIVE, DISABLED, ...) and expiry.
  void edit_user(const std::string& username, const std::string& status, int64_t expire_at_ms);
  void set_used_traffic(const std::string& username, int64_t bytes);

  struct state;

 private:
  std::unique_ptr<state> state_;
};

// A [[panels]] entry for this emulator: kind remnawave, its base URL and token.
config::panel_settings panel_settings_for(const remnawave_emulator& panel,
                                          std::string name = "main");

}  // namespace vpnbot::emulators
