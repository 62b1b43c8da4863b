#include "adapters/panel/xui_protocol.hpp"

#include <charconv>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/codec/utf8.hpp"
#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

constexpr xui_version cookie_renamed{2, 4, 0};
constexpr xui_version api_404_from{2, 8, 4};
constexpr xui_version api_xhr_401_from{3, 0, 2};
constexpr xui_version csrf_from{3, 0, 0};
constexpr xui_version legacy_removed{3, 1, 0};

constexpr std::string_view inbounds_api = "panel/api/inbounds/";

// Go error texts that appear inside msg, after the localised prefix.
struct known_text {
  std::string_view text;
  panel_errc code;
};
constexpr known_text known_texts[] = {
    {"Duplicate email", panel_errc::duplicate_email},
    {"Client Not Found", panel_errc::client_not_found},
    {"no client remained", panel_errc::last_client},
    {"record not found", panel_errc::record_not_found},
    {"empty client ID", panel_errc::empty_client_id},
};

bool parse_number(std::string_view text, int& out) {
  if (text.empty() || text.size() > 6) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The panel's msg for logs: bounded, one line.
std::string short_message(std::string_view msg) {
  auto out = codec::truncate_utf8(trim(msg), 200, codec::text_unit::bytes);
  for (auto& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

void json_body(outbound_request& r, const json& body) {
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body.dump();
}

json clients_body(int64_t inbound_id, const xui_client& client) {
  json settings = {{"clients", json::array({to_json(client)})}};
  return {{"id", inbound_id}, {"settings", settings.dump()}};
}

struct envelope {
  bool success = false;
  std::string msg;
  json obj;
};

caf::error status_error(int status, std::string_view body, std::optional<xui_version> v) {
  bool empty_body = trim(body).empty();
  auto text = "HTTP " + std::to_string(status);
  switch (status) {
    case 401:
      return caf::make_error(panel_errc::session_expired, text);
    case 301:
    case 302:
    case 303:
    case 307:
      if (!v || *v < api_404_from) return caf::make_error(panel_errc::session_expired, text);
      break;
    case 404:
      if (empty_body && (!v || (*v >= api_404_from && *v < api_xhr_401_from)))
        return caf::make_error(panel_errc::session_expired, text);
      return caf::make_error(panel_errc::endpoint_missing,
                             text + ": no such endpoint (the legacy client API is gone in 3.1+)");
    case 403:
      if (uses_csrf(v)) return caf::make_error(panel_errc::csrf_rejected, text);
      break;
    case 500:
      return caf::make_error(panel_errc::server_panic, text);
    default:
      break;
  }
  return caf::make_error(panel_errc::unexpected_status, text);
}

caf::expected<envelope> read_envelope(int status, std::string_view body,
                                      std::optional<xui_version> version) {
  if (status != 200) return status_error(status, body, version);
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return caf::make_error(panel_errc::malformed_reply, "reply is not a JSON object");
  auto success = j.find("success");
  if (success == j.end() || !success->is_boolean())
    return caf::make_error(panel_errc::malformed_reply, "reply has no boolean success");
  envelope e;
  e.success = success->get<bool>();
  if (auto msg = j.find("msg"); msg != j.end() && msg->is_string()) e.msg = msg->get<std::string>();
  if (auto obj = j.find("obj"); obj != j.end()) e.obj = std::move(*obj);
  return e;
}

caf::error classify_failure(std::string_view msg) {
  for (const auto& k : known_texts)
    if (msg.find(k.text) != std::string_view::npos)
      return caf::make_error(k.code, short_message(msg));
  return caf::make_error(panel_errc::rejected, short_message(msg));
}

}  // namespace

std::optional<xui_version> parse_xui_version(std::string_view text) {
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  int parts[3] = {0, 0, 0};
  int count = 0;
  while (count < 3) {
    auto dot = text.find('.');
    if (!parse_number(text.substr(0, dot), parts[count])) return std::nullopt;
    ++count;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
    if (count == 3) return std::nullopt;
  }
  if (count < 2) return std::nullopt;
  return xui_version{parts[0], parts[1], parts[2]};
}

std::string_view session_cookie_name(std::optional<xui_version> version) {
  return version && *version < cookie_renamed ? "session" : "3x-ui";
}

bool uses_csrf(std::optional<xui_version> version) {
  return !version || *version >= csrf_from;
}

bool has_legacy_client_api(std::optional<xui_version> version) {
  return !version || *version < legacy_removed;
}

std::string normalize_base_path(std::string_view raw) {
  std::string out(raw);
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  if (out.back() != '/') out += '/';
  return out;
}

std::string xui_endpoint::url(std::string_view relative) const {
  return origin + base_path + std::string(relative);
}

std::optional<xui_endpoint> parse_endpoint(std::string_view panel_url) {
  auto scheme_end = panel_url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  auto scheme = panel_url.substr(0, scheme_end);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return std::nullopt;
  auto rest = panel_url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  xui_endpoint e;
  e.origin = std::string(panel_url.substr(0, scheme_end + 3)) + std::string(authority);
  e.base_path = normalize_base_path(slash == std::string_view::npos ? std::string_view{}
                                                                    : rest.substr(slash));
  return e;
}

std::optional<std::string> check_endpoint(std::string_view panel_url) {
  if (parse_endpoint(panel_url)) return std::nullopt;
  return "expected an http(s) URL with the webBasePath";
}

outbound_request api_request(const xui_endpoint& panel, const xui_session& session,
                             std::string method, std::string_view relative) {
  outbound_request r;
  r.method = std::move(method);
  r.url = panel.url(relative);
  r.headers.emplace_back("Accept", "application/json");
  // Makes panels before v2.8.4 and from v3.0.2 answer 401, not a redirect or 404.
  r.headers.emplace_back("X-Requested-With", "XMLHttpRequest");
  if (!session.api_token.empty()) {
    r.headers.emplace_back("Authorization", "Bearer " + session.api_token);
    return r;
  }
  if (!session.cookie.empty()) r.headers.emplace_back("Cookie", session.cookie);
  if (r.method != "GET" && !session.csrf_token.empty())
    r.headers.emplace_back("X-CSRF-Token", session.csrf_token);
  return r;
}

outbound_request csrf_token_request(const xui_endpoint& panel, const xui_session& session) {
  return api_request(panel, session, "GET", "csrf-token");
}

outbound_request login_request(const xui_endpoint& panel, const xui_credentials& credentials,
                               const xui_session& session, login_encoding encoding) {
  auto r = api_request(panel, session, "POST", "login");
  if (encoding == login_encoding::json) {
    json body = {{"username", credentials.username}, {"password", credentials.password}};
    if (!credentials.two_factor_code.empty()) body["twoFactorCode"] = credentials.two_factor_code;
    json_body(r, body);
    return r;
  }
  codec::form_fields form = {{"username", credentials.username},
                             {"password", credentials.password}};
  if (!credentials.two_factor_code.empty())
    form.emplace_back("twoFactorCode", credentials.two_factor_code);
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = codec::form_encode(form);
  return r;
}

outbound_request list_inbounds_request(const xui_endpoint& panel, const xui_session& session) {
  return api_request(panel, session, "GET", std::string(inbounds_api) + "list");
}

outbound_request get_inbound_request(const xui_endpoint& panel, const xui_session& session,
                                     int64_t inbound_id) {
  return api_request(panel, session, "GET",
                     std::string(inbounds_api) + "get/" + std::to_string(inbound_id));
}

outbound_request add_client_request(const xui_endpoint& panel, const xui_session& session,
                                    int64_t inbound_id, const xui_client& client) {
  auto r = api_request(panel, session, "POST", std::string(inbounds_api) + "addClient");
  json_body(r, clients_body(inbound_id, client));
  return r;
}

outbound_request update_client_request(const xui_endpoint& panel, const xui_session& session,
                                       int64_t inbound_id, std::string_view old_client_id,
                                       const xui_client& client) {
  auto r = api_request(
      panel, session, "POST",
      std::string(inbounds_api) + "updateClient/" + codec::path_segment_escape(old_client_id));
  json_body(r, clients_body(inbound_id, client));
  return r;
}

outbound_request delete_client_request(const xui_endpoint& panel, const xui_session& session,
                                       int64_t inbound_id, std::string_view client_id) {
  return api_request(panel, session, "POST",
                     std::string(inbounds_api) + std::to_string(inbound_id) + "/delClient/" +
                         codec::path_segment_escape(client_id));
}

outbound_request client_traffics_request(const xui_endpoint& panel, const xui_session& session,
                                         std::string_view email) {
  return api_request(
      panel, session, "GET",
      std::string(inbounds_api) + "getClientTraffics/" + codec::path_segment_escape(email));
}

outbound_request onlines_request(const xui_endpoint& panel, const xui_session& session) {
  return api_request(panel, session, "POST", std::string(inbounds_api) + "onlines");
}

caf::expected<json> read_reply(int status, std::string_view body,
                               std::optional<xui_version> version) {
  auto e = read_envelope(status, body, version);
  if (!e) return e.error();
  if (!e->success) return classify_failure(e->msg);
  return std::move(e->obj);
}

caf::expected<void> read_login_reply(int status, std::string_view body,
                                     std::optional<xui_version> version) {
  auto e = read_envelope(status, body, version);
  if (!e) return e.error();
  if (!e->success) return caf::make_error(panel_errc::login_failed, short_message(e->msg));
  return caf::unit;
}

caf::expected<std::string> read_csrf_reply(int status, std::string_view body,
                                           std::optional<xui_version> version) {
  auto obj = read_reply(status, body, version);
  if (!obj) return obj.error();
  if (!obj->is_string() || obj->get_ref<const std::string&>().empty())
    return caf::make_error(panel_errc::malformed_reply, "csrf-token reply holds no token");
  return obj->get<std::string>();
}

std::optional<std::string> session_cookie(const std::vector<std::string>& set_cookie_values) {
  std::optional<std::string> found;
  for (std::string_view line : set_cookie_values) {
    auto semi = line.find(';');
    auto pair = trim(line.substr(0, semi));
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    auto name = trim(pair.substr(0, eq));
    auto value = trim(pair.substr(eq + 1));
    if (name != "3x-ui" && name != "session") continue;
    bool deleted = value.empty();
    auto attrs = semi == std::string_view::npos ? std::string_view{} : line.substr(semi + 1);
    while (!attrs.empty()) {
      auto next = attrs.find(';');
      auto attr = trim(attrs.substr(0, next));
      attrs = next == std::string_view::npos ? std::string_view{} : attrs.substr(next + 1);
      auto aeq = attr.find('=');
      if (aeq == std::string_view::npos || !iequals(trim(attr.substr(0, aeq)), "max-age")) continue;
      auto age = trim(attr.substr(aeq + 1));
      // Max-Age zero or negative deletes the cookie (gorilla sessions' logout).
      if (age == "0" || (!age.empty() && age.front() == '-')) deleted = true;
    }
    if (!deleted)
      found = std::string(name) + "=" + std::string(value);
    else if (found && found->starts_with(std::string(name) + "="))
      found.reset();
  }
  return found;
}

}  // namespace vpnbot::panel
