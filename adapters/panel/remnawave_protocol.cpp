#include "adapters/panel/remnawave_protocol.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

constexpr std::string_view users_api = "api/users";
constexpr std::string_view connection_keys_api = "api/subscriptions/connection-keys/";
// What a client that never expires is given: the create needs a date.
constexpr int64_t never_ms = 4070908800000;  // 2099-01-01T00:00:00Z

outbound_request remnawave_request(const xui_endpoint& panel, const xui_session& session,
                                   std::string method, std::string_view relative) {
  outbound_request r;
  r.method = std::move(method);
  r.url = panel.url(relative);
  r.headers.emplace_back("Accept", "application/json");
  r.headers.emplace_back("Authorization", "Bearer " + session.api_token);
  return r;
}

outbound_request with_body(outbound_request r, const json& body) {
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

std::string by_username(std::string_view email) {
  return std::string(users_api) + "/by-username/" + codec::path_segment_escape(email);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The fields create and update share.
json user_state(const xui_client& c) {
  json j{{"username", c.email},
         {"status", c.enable ? "ACTIVE" : "DISABLED"},
         {"trafficLimitBytes", c.total_bytes > 0 ? c.total_bytes : 0},
         {"trafficLimitStrategy", "NO_RESET"},
         {"hwidDeviceLimit", c.limit_ip > 0 ? c.limit_ip : 0}};
  if (c.tg_id > 0) j["telegramId"] = c.tg_id;
  if (!c.comment.empty()) j["description"] = c.comment;
  return j;
}

json create_body(const xui_client& c, const std::vector<std::string>& squads) {
  json j = user_state(c);
  j["expireAt"] = remnawave_time(c.expiry_time_ms > 0 ? c.expiry_time_ms : never_ms);
  if (is_uuid(c.id)) j["vlessUuid"] = c.id;
  if (!c.sub_id.empty()) j["shortUuid"] = c.sub_id;
  if (!squads.empty()) j["activeInternalSquads"] = squads;
  return j;
}

// The update refuses an expireAt that is not in the future (an expired
// client being disabled): then the date the panel has stays.
json update_body(const xui_client& c) {
  json j = user_state(c);
  auto expiry = c.expiry_time_ms > 0 ? c.expiry_time_ms : never_ms;
  if (expiry > now_ms()) j["expireAt"] = remnawave_time(expiry);
  return j;
}

// The status and the body of a reply as the envelope's `response`, or the
// error the status means. 404 is left to the caller (not_found).
struct reply {
  int status = 0;
  caf::expected<json> response = json();
  bool not_found() const { return status == 404; }
};

reply read_envelope(int status, std::string_view body) {
  reply r;
  r.status = status;
  if (status == 401 || status == 403) {
    r.response = caf::make_error(panel_errc::login_failed,
                                 "API token refused: HTTP " + std::to_string(status));
    return r;
  }
  if (status == 404) {
    r.response = caf::make_error(panel_errc::client_not_found, "HTTP 404");
    return r;
  }
  auto j = json::parse(body, nullptr, false);
  if (status == 400) {
    std::string code, message;
    if (j.is_object()) {
      if (auto c = j.find("errorCode"); c != j.end() && c->is_string())
        code = c->get<std::string>();
      if (auto m = j.find("message"); m != j.end() && m->is_string())
        message = m->get<std::string>();
    }
    r.response =
        caf::make_error(code == "A019" ? panel_errc::duplicate_email : panel_errc::rejected,
                        "HTTP 400 " + code + " " + message);
    return r;
  }
  if (status == 204) return r;
  if (status < 200 || status > 299) {
    r.response = caf::make_error(panel_errc::unexpected_status, "HTTP " + std::to_string(status));
    return r;
  }
  if (!j.is_object() || !j.contains("response")) {
    r.response = caf::make_error(panel_errc::malformed_reply, "not a {\"response\": ...} envelope");
    return r;
  }
  r.response = j["response"];
  return r;
}

caf::expected<step_outcome> user_value(const panel_call& call, const json& user) {
  auto c = parse_remnawave_user(user);
  if (!c) return c.error();
  if (c->email != call.client.email)
    return caf::make_error(panel_errc::malformed_reply,
                           "by-username/" + call.client.email + " answered user " + c->email);
  return step_outcome{panel_value{std::move(*c)}};
}

// After a lookup that carried the user's numeric id (carry): on to the call
// keyed by it (delete, connection keys).
caf::expected<step_outcome> on_to_the_id_call(const panel_call& call) {
  if (call.panel_ref.empty())
    return caf::make_error(panel_errc::malformed_reply, "user without a numeric id");
  return step_outcome{call_step::write};
}

std::string string_or(const json& j, const char* key, std::string fallback = {}) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

int64_t number_or(const json& j, const char* key, int64_t fallback = 0) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  return it->is_number_float() ? static_cast<int64_t>(it->get<double>()) : it->get<int64_t>();
}

}  // namespace

std::string remnawave_time(int64_t ms) {
  auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  auto millis = static_cast<int>(ms - static_cast<int64_t>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::optional<int64_t> parse_remnawave_time(std::string_view text) {
  std::string s(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
      used != 19)
    return std::nullopt;
  std::string_view rest = std::string_view(s).substr(19);
  int64_t millis = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 3) millis = millis * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_s = 0;
  if (rest == "Z" || rest.empty()) {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &oh, &om) != 2)
      return std::nullopt;
    offset_s = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  auto secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return secs * 1000 + millis;
}

caf::expected<xui_client> parse_remnawave_user(const json& u) {
  if (!u.is_object()) return caf::make_error(panel_errc::malformed_reply, "user is not an object");
  xui_client c;
  c.email = string_or(u, "username");
  if (c.email.empty()) return caf::make_error(panel_errc::malformed_reply, "user without username");
  c.id = string_or(u, "vlessUuid");
  c.sub_id = string_or(u, "shortUuid");
  c.sub_url = string_or(u, "subscriptionUrl");
  c.comment = string_or(u, "description");
  c.total_bytes = number_or(u, "trafficLimitBytes");
  c.limit_ip = number_or(u, "hwidDeviceLimit");
  c.tg_id = number_or(u, "telegramId");
  c.enable = string_or(u, "status", "ACTIVE") != "DISABLED";
  auto expire = string_or(u, "expireAt");
  if (!expire.empty()) {
    auto ms = parse_remnawave_time(expire);
    if (!ms)
      return caf::make_error(panel_errc::malformed_reply, "expireAt is not a date: " + expire);
    c.expiry_time_ms = *ms;
  }
  return c;
}

caf::expected<xui_client_traffic> parse_remnawave_traffic(const json& u) {
  auto c = parse_remnawave_user(u);
  if (!c) return c.error();
  xui_client_traffic t;
  t.id = number_or(u, "id");
  t.email = c->email;
  t.uuid = c->id;
  t.sub_id = c->sub_id;
  t.enable = c->enable;
  t.expiry_time_ms = c->expiry_time_ms;
  t.total_bytes = c->total_bytes;
  if (auto it = u.find("userTraffic"); it != u.end() && it->is_object()) {
    t.down = number_or(*it, "usedTrafficBytes");
    t.all_time = number_or(*it, "lifetimeUsedTrafficBytes");
    auto online = string_or(*it, "onlineAt");
    if (!online.empty()) t.last_online_ms = parse_remnawave_time(online).value_or(0);
  } else {
    t.down = number_or(u, "usedTrafficBytes");
  }
  return t;
}

caf::expected<std::vector<std::string>> parse_connection_keys(const json& response) {
  auto keys = response.is_object() ? response.find("enabledKeys") : response.end();
  if (!response.is_object() || keys == response.end() || !keys->is_array())
    return caf::make_error(panel_errc::malformed_reply, "connection keys without enabledKeys");
  std::vector<std::string> out;
  for (const auto& k : *keys)
    if (k.is_string() && !k.get<std::string>().empty()) out.push_back(k.get<std::string>());
  return out;
}

remnawave_protocol::remnawave_protocol(std::vector<std::string> squads)
    : squads_(std::move(squads)) {}

call_step remnawave_protocol::first_step(panel_op op) const {
  switch (op) {
    case panel_op::create:
    case panel_op::remove:
    case panel_op::list:
    case panel_op::inbound:
    case panel_op::links:
      return call_step::lookup;
    default:
      return call_step::write;
  }
}

outbound_request remnawave_protocol::request(const panel_call& call, call_step step,
                                             const xui_endpoint& panel,
                                             const xui_session& session) const {
  const auto& email = call.client.email;
  switch (call.op) {
    case panel_op::create:
      if (step == call_step::lookup)
        return remnawave_request(panel, session, "GET", by_username(email));
      if (step == call_step::write)
        return with_body(remnawave_request(panel, session, "POST", users_api),
                         create_body(call.client, squads_));
      return with_body(remnawave_request(panel, session, "PATCH", users_api),
                       update_body(call.client));
    case panel_op::update:
      return with_body(remnawave_request(panel, session, "PATCH", users_api),
                       update_body(call.client));
    case panel_op::remove:
      if (step == call_step::lookup)
        return remnawave_request(panel, session, "GET", by_username(email));
      return remnawave_request(
          panel, session, "DELETE",
          std::string(users_api) + "/" + codec::path_segment_escape(call.panel_ref));
    case panel_op::traffic:
      return remnawave_request(panel, session, "GET", by_username(email));
    case panel_op::links:
      if (step == call_step::lookup)
        return remnawave_request(panel, session, "GET", by_username(email));
      return remnawave_request(
          panel, session, "GET",
          std::string(connection_keys_api) + codec::path_segment_escape(call.panel_ref));
    case panel_op::list:
    case panel_op::inbound: {
      auto start = step == call_step::lookup ? std::string("0") : call.panel_ref;
      return remnawave_request(panel, session, "GET",
                               std::string(users_api) + "?start=" + start +
                                   "&size=" + std::to_string(remnawave_page_size));
    }
  }
  return remnawave_request(panel, session, "GET", users_api);
}

void remnawave_protocol::carry(panel_call& call, call_step step, int status,
                               std::string_view body) const {
  if ((call.op == panel_op::remove || call.op == panel_op::links) && step == call_step::lookup) {
    call.panel_ref.clear();
    auto r = read_envelope(status, body);
    if (r.response && r.response->is_object())
      if (auto id = r.response->find("id"); id != r.response->end() && id->is_number_integer())
        call.panel_ref = std::to_string(id->get<int64_t>());
    return;
  }
  if (call.op != panel_op::list && call.op != panel_op::inbound) return;
  // panel_ref: where the next page starts.
  if (step == call_step::lookup) {
    call.gathered.clear();
    call.gathered_traffic.clear();
    call.panel_ref = "0";
  }
  auto r = read_envelope(status, body);
  if (!r.response || !r.response->is_object()) return;
  auto users = r.response->find("users");
  if (users == r.response->end() || !users->is_array()) return;
  for (const auto& u : *users) {
    if (auto c = parse_remnawave_user(u)) call.gathered.push_back(std::move(*c));
    if (call.op == panel_op::inbound)
      if (auto t = parse_remnawave_traffic(u)) call.gathered_traffic.push_back(std::move(*t));
  }
  call.panel_ref = std::to_string(std::stoll(call.panel_ref) + static_cast<int64_t>(users->size()));
}

caf::expected<step_outcome> remnawave_protocol::read(const panel_call& call, call_step step,
                                                     int status, std::string_view body,
                                                     std::optional<xui_version>) const {
  auto r = read_envelope(status, body);
  const auto& email = call.client.email;
  switch (call.op) {
    case panel_op::create:
      if (step == call_step::lookup) {
        if (r.not_found()) return step_outcome{call_step::write};
        if (!r.response) return r.response.error();
        // Ours already (an earlier attempt whose answer was lost): made
        // what we want now.
        return step_outcome{call_step::verify};
      }
      if (step == call_step::write) {
        if (!r.response && panel_error_code(r.response.error()) == panel_errc::duplicate_email)
          return step_outcome{call_step::verify};
        if (!r.response) return r.response.error();
        return user_value(call, *r.response);
      }
      if (r.not_found()) return caf::make_error(panel_errc::client_not_found, email);
      if (!r.response) return r.response.error();
      return user_value(call, *r.response);
    case panel_op::update:
      if (r.not_found()) return caf::make_error(panel_errc::client_not_found, email);
      if (!r.response) return r.response.error();
      return step_outcome{panel_value{}};
    case panel_op::links: {
      if (r.not_found()) return caf::make_error(panel_errc::client_not_found, email);
      if (!r.response) return r.response.error();
      if (step == call_step::lookup) return on_to_the_id_call(call);
      auto links = parse_connection_keys(*r.response);
      if (!links) return links.error();
      return step_outcome{panel_value{std::move(*links)}};
    }
    case panel_op::remove:
      if (r.not_found()) return step_outcome{panel_value{}};
      if (!r.response) return r.response.error();
      if (step == call_step::lookup) return on_to_the_id_call(call);
      return step_outcome{panel_value{}};
    case panel_op::traffic: {
      if (r.not_found()) return caf::make_error(panel_errc::client_not_found, email);
      if (!r.response) return r.response.error();
      auto t = parse_remnawave_traffic(*r.response);
      if (!t) return t.error();
      return step_outcome{panel_value{std::move(*t)}};
    }
    case panel_op::list:
    case panel_op::inbound: {
      if (!r.response) return r.response.error();
      if (!r.response->is_object() || !r.response->contains("users") ||
          !(*r.response)["users"].is_array())
        return caf::make_error(panel_errc::malformed_reply, "users list without users");
      auto page = (*r.response)["users"].size();
      auto total = number_or(*r.response, "total", 0);
      if (page > 0 && std::stoll(call.panel_ref) < total) return step_outcome{call_step::write};
      if (call.op == panel_op::list) return step_outcome{panel_value{call.gathered}};
      // The panel's users as one inbound without settings: its clients and
      // their counters (the traffic meter reads these), no share links.
      xui_inbound in;
      in.remark = "remnawave";
      in.protocol = "remnawave";
      in.clients = call.gathered;
      in.client_stats = call.gathered_traffic;
      return step_outcome{panel_value{std::move(in)}};
    }
  }
  return caf::make_error(panel_errc::invalid_argument, "no such operation");
}

}  // namespace vpnbot::panel
