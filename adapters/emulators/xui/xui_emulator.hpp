#pragma once

// An emulator of a 3x-ui panel (PROTOCOLS.md §1) on loopback, for tests. It
// serves the legacy API under a webBasePath the way the Go panel of the
// configured version answers it:
//
//   * POST {base}login (form or JSON) → always HTTP 200 with the envelope;
//     success sets the session cookie (`session` before v2.4.0, `3x-ui`
//     after) with Path = base;
//   * v3.0+: GET {base}csrf-token, X-CSRF-Token required on cookie POSTs
//     (bare 403 otherwise); a Bearer api_token skips cookie and CSRF;
//   * {base}panel/api/inbounds/: list, get/:id, addClient, updateClient/:id,
//     :id/delClient/:id, getClientTraffics/:email, onlines; every reply the
//     `{success,msg,obj}` envelope with `settings`/`streamSettings` as JSON
//     strings and the Go error texts ("Duplicate email: x", "Client Not
//     Found In Inbound For ID: x", "no client remained in Inbound",
//     "record not found");
//   * no valid session: 401 with an envelope before v2.8.4, a bare 404 up to
//     v3.0.1, a bare 401 from v3.0.2;
//   * v3.1+ (PROTOCOLS.md §1.8): the legacy client endpoints (addClient,
//     updateClient, delClient, getClientTraffics, onlines) are a bare 404;
//     {base}panel/api/clients/ serves get/:email, add ({"client":{...},
//     "inboundIds":[...]}, answering the client created, with a UUID and
//     subId of its own unless told to keep the ones sent), update/:email,
//     del/:email and traffic/:email; list and get/:id of inbounds stay.
//     A missing client is success:false with "record not found".
//
// Faults, per operation: the next N calls answer a bare 5xx, or answer late
// (the change is applied at once, only the answer is held back, as when a
// reply is lost on the way), the session expires, the password changes.
// Every call is recorded with its body, cookie and answer.

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/panel/xui_model.hpp"
#include "config/settings.hpp"

namespace vpnbot::emulators {

enum class xui_op {
  csrf_token,
  login,
  list_inbounds,
  get_inbound,
  add_client,       // legacy addClient; 3.1 clients/add
  update_client,    // legacy updateClient/:uuid; 3.1 clients/update/:email
  delete_client,    // legacy :id/delClient/:uuid; 3.1 clients/del/:email
  client_traffics,  // legacy getClientTraffics/:email; 3.1 clients/traffic/:email
  onlines,
  get_client,  // 3.1 clients/get/:email
  unknown,
};

std::string_view to_string(xui_op op);

struct xui_call {
  xui_op op = xui_op::unknown;
  std::string method;
  std::string path;  // the whole path, base included
  std::string body;
  nlohmann::json params;   // decoded form fields or the JSON body (object); else null
  std::string cookie;      // the Cookie header as sent
  std::string csrf_token;  // X-CSRF-Token as sent
  bool bearer = false;     // an Authorization: Bearer header was sent
  int status = 0;          // what the emulator answered
  bool success = false;    // the envelope's success, when there was one
};

struct xui_emulator_options {
  std::string version = "2.8.5";
  std::string base_path = "/secretpath/";
  std::string username = "admin";
  std::string password = "admin-password";
  std::string api_token;  // v3.0+: accepted as Bearer when not empty
  // Two-factor login on when not empty: the base32 twoFactorToken; a login
  // must carry the TOTP code of the current 30-second step, as the panel's
  // gotp check wants.
  std::string two_factor_secret;
  // Two vless inbounds exist from the start, each holding one client that
  // is not ours (the panel refuses to delete an inbound's last client):
  // `inbound_id` ("Main": tcp + reality, port 443) and inbound_id + 1
  // ("CDN": ws + tls, port 8443).
  int64_t inbound_id = 1;
  // HTTPS with a self-signed certificate made at start (see ca_file()).
  bool tls = false;
  // v3.1+: add gives the client a UUID and subId of its own, as the panel
  // does; false keeps the ones sent.
  bool generate_secrets = true;
};

class xui_emulator {
 public:
  explicit xui_emulator(xui_emulator_options o = {});
  ~xui_emulator();
  xui_emulator(const xui_emulator&) = delete;
  xui_emulator& operator=(const xui_emulator&) = delete;

  // "http://127.0.0.1:<port>/secretpath/": what a panel's base_url is.
  std::string base_url() const;
  const xui_emulator_options& options() const;
  // The certificate's PEM file (tls only).
  const std::string& ca_file() const;

  // -- faults ---------------------------------------------------------------
  // The next `times` calls of `op` answer a bare `status` (gin's panic 500,
  // or a proxy's 502/503).
  void fail_next(xui_op op, int times = 1, int status = 500);
  // The next `times` calls of `op` answer HTTP 200 with success:false and
  // `msg`, changing nothing (as a Go handler that returned an error).
  void refuse_next(xui_op op, std::string msg, int times = 1);
  // Intermittent: every k-th call of `op` from now on answers a bare `status`.
  void fail_every(xui_op op, int k, int status = 500);
  // Drops the failures still queued for `op`: the panel works again.
  void recover(xui_op op);
  // The next `times` calls of `op` are carried out but answered only after
  // `delay`.
  void delay_next(xui_op op, std::chrono::milliseconds delay, int times = 1);
  // Forgets every session: the next API call gets the version's
  // "not logged in" answer.
  void expire_sessions();
  // Logins with the old password fail from now on.
  void set_password(std::string password);
  // The panel updated in place: from now on it answers as `version` does
  // (clients and sessions survive, as they do across 3x-ui's own update).
  void upgrade(const std::string& version);
  // Down: every connection is closed without a byte of answer, and the
  // panel sees nothing; up again: served as before.
  void set_down(bool down);

  // -- state ------------------------------------------------------------------
  std::vector<xui_call> calls() const;
  std::vector<xui_call> calls(xui_op op) const;
  std::size_t call_count(xui_op op) const;
  // The clients of an inbound as settings.clients holds them now.
  std::vector<panel::xui_client> clients(int64_t inbound_id) const;
  std::optional<panel::xui_client> client(const std::string& email) const;
  // Puts a client into an inbound directly (a client made by hand in the UI).
  void seed_client(int64_t inbound_id, const panel::xui_client& c);
  // Removes a client directly (deleted by hand in the UI); its traffic row stays.
  void drop_client(int64_t inbound_id, const std::string& email);
  // Changes a client directly (edited by hand in the UI).
  void edit_client(int64_t inbound_id, const panel::xui_client& c);
  void set_traffic(const std::string& email, int64_t up, int64_t down);
  void set_onlines(std::vector<std::string> emails);

  struct state;

 private:
  std::unique_ptr<state> state_;
};

// A [[panels]] entry for this emulator: its base URL, credentials, version
// and "Main" inbound.
config::panel_settings panel_settings_for(const xui_emulator& xui, std::string name = "main");

}  // namespace vpnbot::emulators
