#include "adapters/emulators/xui/xui_emulator.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>

#include "adapters/codec/ascii.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/crypto/totp.hpp"
#include "adapters/emulators/fake_http_server.hpp"
#include "adapters/emulators/op_faults.hpp"
#include "adapters/emulators/reply_delayer.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/panel/xui_protocol.hpp"

namespace vpnbot::emulators {

namespace {

using json = nlohmann::json;
using reply_fn = std::function<void(http_response)>;
using panel::xui_version;

constexpr xui_version cookie_renamed{2, 4, 0};
constexpr xui_version api_404_from{2, 8, 4};
constexpr xui_version api_xhr_401_from{3, 0, 2};
constexpr xui_version csrf_from{3, 0, 0};
constexpr xui_version legacy_removed{3, 1, 0};
constexpr xui_version traffic_fields_from{2, 7, 0};
constexpr xui_version traffic_ids_from{2, 8, 5};

http_response envelope(bool success, const std::string& msg, json obj = nullptr) {
  json body{{"success", success}, {"msg", msg}, {"obj", std::move(obj)}};
  return {200, "application/json; charset=utf-8", {}, body.dump()};
}

// jsonMsg's error form: the localised prefix, then the Go error in brackets.
http_response go_error(const std::string& prefix, const std::string& error) {
  return envelope(false, prefix + " (" + error + ")");
}

http_response xui_bare(int status, std::string body = {}) {
  return {status, "text/plain; charset=utf-8", {}, std::move(body)};
}

std::string xui_random_token(std::size_t n) {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(alphabet) - 2);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(engine)];
  return out;
}

int64_t xui_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string cookie_value(const std::string& header, const std::string& name) {
  std::string_view rest = header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    auto pair = rest.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(name + "=")) return std::string(pair.substr(name.size() + 1));
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return {};
}

// Form fields or the JSON object of a body, as the Go side's ShouldBind sees it.
json parameters(const http_request& r) {
  const std::string* type = r.header("content-type");
  std::string content_type = type ? *type : "";
  if (content_type.starts_with("application/json")) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() ? j : json(nullptr);
  }
  if (content_type.starts_with("application/x-www-form-urlencoded")) {
    auto fields = codec::form_decode(r.body);
    if (!fields) return nullptr;
    json out = json::object();
    for (auto& [k, v] : *fields) out[k] = v;
    return out;
  }
  return nullptr;
}

std::vector<std::string> xui_segments(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    auto seg = path.substr(0, slash);
    out.push_back(codec::percent_decode(seg, false).value_or(std::string(seg)));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

struct session {
  bool logged_in = false;
  std::string csrf;
};

struct traffic_row {
  int64_t id = 0;
  int64_t inbound_id = 0;
  bool enable = true;
  std::string email;
  int64_t up = 0;
  int64_t down = 0;
  int64_t expiry_time = 0;
  int64_t total = 0;
  int64_t reset = 0;
};

struct inbound {
  int64_t id = 0;
  json settings;  // {"clients":[...],"decryption":"none","encryption":"none"}
  json stream_settings;
  std::string remark;
  int port = 443;
};

json ws_tls_stream() {
  return {{"network", "ws"},
          {"security", "tls"},
          {"externalProxy", json::array()},
          {"tlsSettings",
           {{"serverName", "cdn.example.com"},
            {"alpn", {"http/1.1"}},
            {"certificates", json::array()},
            {"settings", {{"allowInsecure", false}, {"fingerprint", "chrome"}}}}},
          {"wsSettings",
           {{"acceptProxyProtocol", false},
            {"path", "/vl-ws"},
            {"host", "cdn.example.com"},
            {"headers", json::object()}}}};
}

json reality_stream() {
  return {{"network", "tcp"},
          {"security", "reality"},
          {"externalProxy", json::array()},
          {"realitySettings",
           {{"show", false},
            {"xver", 0},
            {"target", "www.example.com:443"},
            {"serverNames", {"www.example.com"}},
            {"privateKey", "emulator-private-key"},
            {"shortIds", {"6ba85179"}},
            {"settings",
             {{"publicKey", "emulator-public-key"},
              {"fingerprint", "chrome"},
              {"serverName", ""},
              {"spiderX", "/"}}}}},
          {"tcpSettings", {{"acceptProxyProtocol", false}, {"header", {{"type", "none"}}}}}};
}

}  // namespace

std::string_view to_string(xui_op op) {
  switch (op) {
    case xui_op::csrf_token:
      return "csrf_token";
    case xui_op::login:
      return "login";
    case xui_op::list_inbounds:
      return "list_inbounds";
    case xui_op::get_inbound:
      return "get_inbound";
    case xui_op::add_client:
      return "add_client";
    case xui_op::update_client:
      return "update_client";
    case xui_op::delete_client:
      return "delete_client";
    case xui_op::client_traffics:
      return "client_traffics";
    case xui_op::onlines:
      return "onlines";
    case xui_op::get_client:
      return "get_client";
    case xui_op::unknown:
      break;
  }
  return "unknown";
}

struct xui_emulator::state {
  xui_emulator_options opts;
  xui_version version;
  std::string cookie_name;

  mutable std::mutex mutex;
  std::vector<xui_call> calls;
  op_faults<xui_op> faults;
  std::map<std::string, session> sessions;  // by cookie value
  std::vector<inbound> inbounds;
  std::vector<traffic_row> traffic;
  int64_t next_traffic_id = 1;
  json onlines = nullptr;

  reply_delayer delayer;  // answers held back by delay faults
  std::unique_ptr<fake_http_server> server;

  inbound* find_inbound(int64_t id) {
    for (auto& in : inbounds)
      if (in.id == id) return &in;
    return nullptr;
  }

  bool email_taken(const std::string& email, const std::string& except_id = {}) const {
    for (const auto& in : inbounds)
      for (const auto& c : in.settings["clients"])
        if (codec::ascii_lower(c.value("email", "")) == codec::ascii_lower(email) &&
            c.value("id", "") != except_id)
          return true;
    return false;
  }

  traffic_row* find_traffic(const std::string& email) {
    for (auto& t : traffic)
      if (codec::ascii_lower(t.email) == codec::ascii_lower(email)) return &t;
    return nullptr;
  }

  json traffic_json(const traffic_row& t) const {
    json j{{"id", t.id},
           {"inboundId", t.inbound_id},
           {"enable", t.enable},
           {"email", t.email},
           {"up", t.up},
           {"down", t.down},
           {"expiryTime", t.expiry_time},
           {"total", t.total},
           {"reset", t.reset}};
    if (version >= traffic_fields_from) {
      j["allTime"] = t.up + t.down;
      j["lastOnline"] = 0;
    }
    if (version >= traffic_ids_from) {
      std::string uuid, sub_id;
      for (const auto& in : inbounds)
        for (const auto& c : in.settings["clients"])
          if (c.value("email", "") == t.email) {
            uuid = c.value("id", "");
            sub_id = c.value("subId", "");
          }
      j["uuid"] = uuid;
      j["subId"] = sub_id;
    }
    return j;
  }

  json inbound_json(const inbound& in) const {
    json stats = json::array();
    for (const auto& t : traffic)
      if (t.inbound_id == in.id) stats.push_back(traffic_json(t));
    json j{{"id", in.id},
           {"up", 0},
           {"down", 0},
           {"total", 0},
           {"remark", in.remark},
           {"enable", true},
           {"expiryTime", 0},
           {"clientStats", stats},
           {"listen", ""},
           {"port", in.port},
           {"protocol", "vless"},
           {"settings", in.settings.dump(2)},
           {"streamSettings", in.stream_settings.dump(2)},
           {"tag", "inbound-" + std::to_string(in.port)},
           {"sniffing", json{{"enabled", false}, {"destOverride", json::array()}}.dump(2)}};
    if (version >= traffic_fields_from) j["allTime"] = 0;
    if (version >= traffic_ids_from) {
      j["trafficReset"] = "never";
      j["lastTrafficResetTime"] = 0;
    }
    return j;
  }

  void upsert_traffic(int64_t inbound_id, const json& c) {
    auto email = c.value("email", "");
    traffic_row* t = find_traffic(email);
    if (!t) {
      traffic.push_back({});
      t = &traffic.back();
      t->id = next_traffic_id++;
    }
    t->inbound_id = inbound_id;
    t->email = email;
    t->enable = c.value("enable", true);
    t->total = c.value("totalGB", int64_t{0});
    t->expiry_time = c.value("expiryTime", int64_t{0});
    t->reset = c.value("reset", int64_t{0});
  }

  // The answer that stands in for "not logged in" on this version.
  http_response unauthenticated() const {
    if (version < api_404_from) {
      auto r = envelope(false, "The session has expired, please log in again");
      r.status = 401;
      return r;
    }
    if (version < api_xhr_401_from) return xui_bare(404);
    return xui_bare(401);
  }

  http_response set_cookie(http_response r, const std::string& value) const {
    r.headers.emplace_back("Set-Cookie", cookie_name + "=" + value + "; Path=" + opts.base_path +
                                             "; Max-Age=21600; HttpOnly; SameSite=Lax");
    return r;
  }

  xui_op classify(const std::string& method, const std::vector<std::string>& seg) const {
    if (seg.size() == 1 && seg[0] == "csrf-token" && method == "GET") return xui_op::csrf_token;
    if (seg.size() == 1 && seg[0] == "login" && method == "POST") return xui_op::login;
    if (seg.size() < 4 || seg[0] != "panel" || seg[1] != "api") return xui_op::unknown;
    auto n = seg.size();
    if (seg[2] == "clients") {
      if (version < legacy_removed) return xui_op::unknown;
      if (method == "POST" && n == 4 && seg[3] == "add") return xui_op::add_client;
      if (method == "GET" && n == 5 && seg[3] == "get") return xui_op::get_client;
      if (method == "POST" && n == 5 && seg[3] == "update") return xui_op::update_client;
      if (method == "POST" && n == 5 && seg[3] == "del") return xui_op::delete_client;
      if (method == "GET" && n == 5 && seg[3] == "traffic") return xui_op::client_traffics;
      return xui_op::unknown;
    }
    if (seg[2] != "inbounds") return xui_op::unknown;
    if (method == "GET" && n == 4 && seg[3] == "list") return xui_op::list_inbounds;
    if (method == "GET" && n == 5 && seg[3] == "get") return xui_op::get_inbound;
    if (method == "GET" && n == 5 && seg[3] == "getClientTraffics") return xui_op::client_traffics;
    if (method == "POST" && n == 4 && seg[3] == "addClient") return xui_op::add_client;
    if (method == "POST" && n == 4 && seg[3] == "onlines") return xui_op::onlines;
    if (method == "POST" && n == 5 && seg[3] == "updateClient") return xui_op::update_client;
    if (method == "POST" && n == 6 && seg[4] == "delClient") return xui_op::delete_client;
    return xui_op::unknown;
  }

  http_response login(const http_request& r, const json& params, const std::string& cookie) {
    if (version >= csrf_from) {
      auto it = sessions.find(cookie);
      const std::string* sent = r.header("x-csrf-token");
      std::string token = sent ? *sent : (params.is_object() ? params.value("_csrf", "") : "");
      if (it == sessions.end() || it->second.csrf.empty() || token != it->second.csrf)
        return xui_bare(403);
    }
    auto user = params.is_object() ? params.value("username", "") : "";
    auto pass = params.is_object() ? params.value("password", "") : "";
    if (user.empty() || pass.empty())
      return envelope(false, "Please enter your username and password");
    auto code = params.is_object() ? params.value("twoFactorCode", "") : "";
    bool code_ok = opts.two_factor_secret.empty() ||
                   code == crypto::totp(opts.two_factor_secret, std::chrono::system_clock::now());
    if (user != opts.username || pass != opts.password || !code_ok)
      return envelope(false, "Wrong username or password or two-factor code.");
    std::string value = sessions.count(cookie) ? cookie : xui_random_token(32);
    sessions[value].logged_in = true;
    return set_cookie(envelope(true, "Logged in successfully"), value);
  }

  http_response add_client(const json& params) {
    if (!params.is_object()) return xui_bare(500);
    int64_t id = params.contains("id") && params["id"].is_string()
                     ? std::stoll(params["id"].get<std::string>())
                     : params.value("id", int64_t{0});
    auto settings = json::parse(params.value("settings", ""), nullptr, false);
    // The Go handler indexes settings["clients"] without a check and panics.
    if (!settings.is_object() || !settings.contains("clients") || !settings["clients"].is_array())
      return xui_bare(500);
    inbound* in = find_inbound(id);
    if (!in) return go_error("Something went wrong", "record not found");
    for (const auto& c : settings["clients"]) {
      if (c.value("id", "").empty()) return go_error("Something went wrong", "empty client ID");
      if (email_taken(c.value("email", "")))
        return go_error("Something went wrong", "Duplicate email: " + c.value("email", ""));
    }
    for (auto c : settings["clients"]) {
      c["created_at"] = xui_now_ms();
      c["updated_at"] = xui_now_ms();
      in->settings["clients"].push_back(c);
      upsert_traffic(id, c);
    }
    return envelope(true, "Inbound client(s) have been added.");
  }

  http_response update_client(const std::string& old_id, const json& params) {
    if (!params.is_object()) return xui_bare(500);
    int64_t id = params.value("id", int64_t{0});
    auto settings = json::parse(params.value("settings", ""), nullptr, false);
    if (!settings.is_object() || !settings.contains("clients") || !settings["clients"].is_array() ||
        settings["clients"].empty())
      return xui_bare(500);
    inbound* in = find_inbound(id);
    if (!in) return go_error("Something went wrong", "record not found");
    auto& clients = in->settings["clients"];
    auto it = std::find_if(clients.begin(), clients.end(),
                           [&](const json& c) { return c.value("id", "") == old_id; });
    if (it == clients.end())
      return go_error("Something went wrong", "Client Not Found In Inbound For ID: " + old_id);
    json next = settings["clients"][0];
    if (next.value("id", "").empty()) return go_error("Something went wrong", "empty client ID");
    if (email_taken(next.value("email", ""), old_id))
      return go_error("Something went wrong", "Duplicate email: " + next.value("email", ""));
    if (auto* t = find_traffic(it->value("email", ""))) t->email = next.value("email", "");
    next["created_at"] = it->value("created_at", xui_now_ms());
    next["updated_at"] = xui_now_ms();
    *it = next;
    upsert_traffic(id, next);
    return envelope(true, "Inbound client has been updated.");
  }

  http_response delete_client(int64_t id, const std::string& client_id) {
    inbound* in = find_inbound(id);
    if (!in) return go_error("Something went wrong", "record not found");
    auto& clients = in->settings["clients"];
    auto it = std::find_if(clients.begin(), clients.end(),
                           [&](const json& c) { return c.value("id", "") == client_id; });
    if (it == clients.end())
      return go_error("Something went wrong", "Client Not Found In Inbound For ID: " + client_id);
    if (clients.size() == 1)
      return go_error("Something went wrong", "no client remained in Inbound");
    auto email = it->value("email", "");
    clients.erase(it);
    std::erase_if(traffic, [&](const traffic_row& t) {
      return codec::ascii_lower(t.email) == codec::ascii_lower(email);
    });
    return envelope(true, "Inbound client has been deleted.");
  }

  // -- v3.1+: {base}panel/api/clients/ ----------------------------------------

  // The client and the inbound holding it, by email (without case, as the panel).
  std::pair<inbound*, json*> find_client(const std::string& email) {
    for (auto& in : inbounds)
      for (auto& c : in.settings["clients"])
        if (codec::ascii_lower(c.value("email", "")) == codec::ascii_lower(email)) return {&in, &c};
    return {nullptr, nullptr};
  }

  static json with_inbound(json c, int64_t inbound_id) {
    c["inboundIds"] = json::array({inbound_id});
    return c;
  }

  http_response get_client31(const std::string& email) {
    auto [in, c] = find_client(email);
    if (!c) return go_error("Failed to get client", "record not found");
    return envelope(true, "", with_inbound(*c, in->id));
  }

  http_response add_client31(const json& params) {
    if (!params.is_object() || !params.contains("client") || !params["client"].is_object() ||
        !params.contains("inboundIds") || !params["inboundIds"].is_array() ||
        params["inboundIds"].empty())
      return go_error("Invalid client data", "client and inboundIds are required");
    json c = params["client"];
    auto email = c.value("email", "");
    if (email.empty()) return go_error("Something went wrong", "email is required");
    if (email_taken(email)) return go_error("Something went wrong", "Duplicate email: " + email);
    std::vector<inbound*> targets;
    for (const auto& id : params["inboundIds"]) {
      inbound* in = id.is_number_integer() ? find_inbound(id.get<int64_t>()) : nullptr;
      if (!in) return go_error("Something went wrong", "record not found");
      targets.push_back(in);
    }
    if (opts.generate_secrets || c.value("id", "").empty()) c["id"] = panel::new_client_uuid();
    if (opts.generate_secrets || c.value("subId", "").empty()) c["subId"] = xui_random_token(16);
    c["created_at"] = xui_now_ms();
    c["updated_at"] = xui_now_ms();
    for (auto* in : targets) {
      in->settings["clients"].push_back(c);
      upsert_traffic(in->id, c);
    }
    return envelope(true, "Client created", with_inbound(c, targets.front()->id));
  }

  http_response update_client31(const std::string& email, const json& params) {
    if (!params.is_object() || !params.contains("client") || !params["client"].is_object())
      return go_error("Invalid client data", "client is required");
    auto [in, c] = find_client(email);
    if (!c) return go_error("Something went wrong", "record not found");
    json next = params["client"];
    if (next.value("id", "").empty()) next["id"] = c->value("id", "");
    if (next.value("subId", "").empty()) next["subId"] = c->value("subId", "");
    auto next_email = next.value("email", "");
    if (next_email.empty()) next["email"] = next_email = c->value("email", "");
    if (codec::ascii_lower(next_email) != codec::ascii_lower(email) && email_taken(next_email))
      return go_error("Something went wrong", "Duplicate email: " + next_email);
    if (auto* t = find_traffic(email)) t->email = next_email;
    next["created_at"] = c->value("created_at", xui_now_ms());
    next["updated_at"] = xui_now_ms();
    *c = next;
    upsert_traffic(in->id, next);
    return envelope(true, "Client updated", with_inbound(next, in->id));
  }

  http_response delete_client31(const std::string& email) {
    auto [in, c] = find_client(email);
    if (!c) return go_error("Something went wrong", "record not found");
    auto& clients = in->settings["clients"];
    for (auto it = clients.begin(); it != clients.end(); ++it)
      if (&*it == c) {
        clients.erase(it);
        break;
      }
    std::erase_if(traffic, [&](const traffic_row& t) {
      return codec::ascii_lower(t.email) == codec::ascii_lower(email);
    });
    return envelope(true, "Client deleted");
  }

  http_response clients_api(xui_op op, const std::vector<std::string>& seg, const json& params) {
    switch (op) {
      case xui_op::get_client:
        return get_client31(seg[4]);
      case xui_op::add_client:
        return add_client31(params);
      case xui_op::update_client:
        return update_client31(seg[4], params);
      case xui_op::delete_client:
        return delete_client31(seg[4]);
      case xui_op::client_traffics:
        if (auto* t = find_traffic(seg[4])) return envelope(true, "", traffic_json(*t));
        return go_error("Error getting traffics", "record not found");
      default:
        return api(op, seg, params);
    }
  }

  http_response api(xui_op op, const std::vector<std::string>& seg, const json& params) {
    switch (op) {
      case xui_op::list_inbounds: {
        json list = json::array();
        for (const auto& in : inbounds) list.push_back(inbound_json(in));
        return envelope(true, "", list);
      }
      case xui_op::get_inbound: {
        auto* in = find_inbound(std::atoll(seg[4].c_str()));
        if (!in) return go_error("Failed to obtain", "record not found");
        return envelope(true, "", inbound_json(*in));
      }
      case xui_op::client_traffics: {
        if (auto* t = find_traffic(seg[4])) return envelope(true, "", traffic_json(*t));
        if (version < traffic_ids_from) return envelope(true, "", nullptr);
        return go_error("Error getting traffics", "record not found");
      }
      case xui_op::add_client:
        return add_client(params);
      case xui_op::update_client:
        return update_client(seg[4], params);
      case xui_op::delete_client:
        return delete_client(std::atoll(seg[3].c_str()), seg[5]);
      case xui_op::onlines:
        return envelope(true, "", onlines);
      default:
        return xui_bare(404, "404 page not found");
    }
  }

  // Called with the lock held.
  http_response answer(const http_request& r, xui_call& call) {
    if (!r.path.starts_with(opts.base_path)) return xui_bare(404, "404 page not found");
    auto seg = xui_segments(std::string_view(r.path).substr(opts.base_path.size()));
    call.op = classify(r.method, seg);
    if (auto f = faults.take(call.op, false))
      return f->refusal.empty() ? xui_bare(f->status) : envelope(false, f->refusal);
    auto cookie = cookie_value(call.cookie, cookie_name);
    switch (call.op) {
      case xui_op::csrf_token: {
        if (version < csrf_from) return xui_bare(404, "404 page not found");
        std::string value = sessions.count(cookie) ? cookie : xui_random_token(32);
        auto& s = sessions[value];
        if (s.csrf.empty()) s.csrf = xui_random_token(24);
        return set_cookie(envelope(true, "", s.csrf), value);
      }
      case xui_op::login:
        return login(r, call.params, cookie);
      case xui_op::unknown:
        return xui_bare(404, "404 page not found");
      default:
        break;
    }
    bool bearer_ok = version >= csrf_from && !opts.api_token.empty() && r.header("authorization") &&
                     *r.header("authorization") == "Bearer " + opts.api_token;
    if (!bearer_ok) {
      auto it = sessions.find(cookie);
      if (it == sessions.end() || !it->second.logged_in) return unauthenticated();
      if (version >= csrf_from && r.method != "GET" && call.csrf_token != it->second.csrf)
        return xui_bare(403);
    }
    if (version < legacy_removed) return api(call.op, seg, call.params);
    if (seg[2] == "clients") return clients_api(call.op, seg, call.params);
    // 3.1 removed the legacy client endpoints; the inbound ones stay.
    if (call.op != xui_op::list_inbounds && call.op != xui_op::get_inbound)
      return xui_bare(404, "404 page not found");
    return api(call.op, seg, call.params);
  }

  void handle(const http_request& r, reply_fn reply) {
    xui_call call;
    call.method = r.method;
    call.path = r.path;
    call.body = r.body;
    call.params = parameters(r);
    if (auto* c = r.header("cookie")) call.cookie = *c;
    if (auto* t = r.header("x-csrf-token")) call.csrf_token = *t;
    if (auto* a = r.header("authorization")) call.bearer = a->starts_with("Bearer ");
    std::unique_lock lock{mutex};
    auto response = answer(r, call);
    call.status = response.status;
    if (response.status == 200) {
      auto j = json::parse(response.body, nullptr, false);
      call.success = j.is_object() && j.value("success", false);
    }
    calls.push_back(std::move(call));
    if (auto delay = faults.take(calls.back().op, true)) {
      lock.unlock();
      delayer.hold(delay->delay, std::move(reply), std::move(response));
      return;
    }
    lock.unlock();
    reply(std::move(response));
  }
};

xui_emulator::xui_emulator(xui_emulator_options o) : state_(std::make_unique<state>()) {
  auto& s = *state_;
  s.opts = std::move(o);
  s.opts.base_path = panel::normalize_base_path(s.opts.base_path);
  s.version = panel::parse_xui_version(s.opts.version).value();
  s.cookie_name = s.version < cookie_renamed ? "session" : "3x-ui";
  inbound main;
  main.id = s.opts.inbound_id;
  main.remark = "Main";
  main.stream_settings = reality_stream();
  json keeper{{"id", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"},
              {"flow", "xtls-rprx-vision"},
              {"email", "admin-device"},
              {"limitIp", 0},
              {"totalGB", 0},
              {"expiryTime", 0},
              {"enable", true},
              {"tgId", ""},
              {"subId", "adminsub00000000"},
              {"reset", 0}};
  main.settings = {
      {"clients", json::array({keeper})}, {"decryption", "none"}, {"encryption", "none"}};
  s.inbounds.push_back(main);
  s.upsert_traffic(main.id, keeper);
  inbound cdn;
  cdn.id = s.opts.inbound_id + 1;
  cdn.remark = "CDN";
  cdn.port = 8443;
  cdn.stream_settings = ws_tls_stream();
  json cdn_keeper = keeper;
  cdn_keeper["id"] = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  cdn_keeper["email"] = "admin-cdn";
  cdn_keeper["flow"] = "";
  cdn_keeper["subId"] = "admincdn00000000";
  cdn.settings = {
      {"clients", json::array({cdn_keeper})}, {"decryption", "none"}, {"encryption", "none"}};
  s.inbounds.push_back(cdn);
  s.upsert_traffic(cdn.id, cdn_keeper);
  auto* self = state_.get();
  s.server = std::make_unique<fake_http_server>(
      fake_http_server::async_handler{
          [self](const http_request& r, reply_fn reply) { self->handle(r, std::move(reply)); }},
      fake_http_options{.tls = s.opts.tls});
}

xui_emulator::~xui_emulator() {
  state_->delayer.stop();
  state_->server.reset();
}

std::string xui_emulator::base_url() const {
  return state_->server->base_url() + state_->opts.base_path;
}

const xui_emulator_options& xui_emulator::options() const {
  return state_->opts;
}

const std::string& xui_emulator::ca_file() const {
  return state_->server->ca_file();
}

void xui_emulator::set_down(bool down) {
  if (down)
    state_->server->inject(fake_fault::close_connection(), -1);
  else
    state_->server->clear_faults();
}

void xui_emulator::fail_next(xui_op op, int times, int status) {
  std::lock_guard guard{state_->mutex};
  state_->faults.fail_next(op, times, status);
}

void xui_emulator::refuse_next(xui_op op, std::string msg, int times) {
  std::lock_guard guard{state_->mutex};
  state_->faults.refuse_next(op, times, std::move(msg));
}

void xui_emulator::fail_every(xui_op op, int k, int status) {
  std::lock_guard guard{state_->mutex};
  state_->faults.fail_every(op, k, status);
}

void xui_emulator::recover(xui_op op) {
  std::lock_guard guard{state_->mutex};
  state_->faults.clear_failures(op);
}

void xui_emulator::delay_next(xui_op op, std::chrono::milliseconds delay, int times) {
  std::lock_guard guard{state_->mutex};
  state_->faults.delay_next(op, times, delay);
}

void xui_emulator::expire_sessions() {
  std::lock_guard guard{state_->mutex};
  state_->sessions.clear();
}

void xui_emulator::upgrade(const std::string& version) {
  std::lock_guard guard{state_->mutex};
  state_->opts.version = version;
  state_->version = panel::parse_xui_version(version).value();
  state_->cookie_name = state_->version < cookie_renamed ? "session" : "3x-ui";
}

void xui_emulator::set_password(std::string password) {
  std::lock_guard guard{state_->mutex};
  state_->opts.password = std::move(password);
}

std::vector<xui_call> xui_emulator::calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->calls;
}

std::vector<xui_call> xui_emulator::calls(xui_op op) const {
  std::lock_guard guard{state_->mutex};
  std::vector<xui_call> out;
  for (const auto& c : state_->calls)
    if (c.op == op) out.push_back(c);
  return out;
}

std::size_t xui_emulator::call_count(xui_op op) const {
  return calls(op).size();
}

std::vector<panel::xui_client> xui_emulator::clients(int64_t inbound_id) const {
  std::lock_guard guard{state_->mutex};
  std::vector<panel::xui_client> out;
  if (auto* in = state_->find_inbound(inbound_id))
    for (const auto& c : in->settings["clients"])
      if (auto parsed = panel::parse_client(c)) out.push_back(*parsed);
  return out;
}

std::optional<panel::xui_client> xui_emulator::client(const std::string& email) const {
  std::lock_guard guard{state_->mutex};
  for (const auto& in : state_->inbounds)
    for (const auto& c : in.settings["clients"])
      if (c.value("email", "") == email)
        if (auto parsed = panel::parse_client(c)) return *parsed;
  return std::nullopt;
}

void xui_emulator::seed_client(int64_t inbound_id, const panel::xui_client& c) {
  std::lock_guard guard{state_->mutex};
  if (auto* in = state_->find_inbound(inbound_id)) {
    in->settings["clients"].push_back(panel::to_json(c));
    state_->upsert_traffic(inbound_id, panel::to_json(c));
  }
}

void xui_emulator::drop_client(int64_t inbound_id, const std::string& email) {
  std::lock_guard guard{state_->mutex};
  if (auto* in = state_->find_inbound(inbound_id)) {
    auto& clients = in->settings["clients"];
    for (auto it = clients.begin(); it != clients.end(); ++it)
      if (it->value("email", "") == email) {
        clients.erase(it);
        break;
      }
  }
}

void xui_emulator::edit_client(int64_t inbound_id, const panel::xui_client& c) {
  std::lock_guard guard{state_->mutex};
  if (auto* in = state_->find_inbound(inbound_id))
    for (auto& existing : in->settings["clients"])
      if (existing.value("email", "") == c.email) existing = panel::to_json(c);
}

void xui_emulator::set_traffic(const std::string& email, int64_t up, int64_t down) {
  std::lock_guard guard{state_->mutex};
  if (auto* t = state_->find_traffic(email)) {
    t->up = up;
    t->down = down;
  }
}

void xui_emulator::set_onlines(std::vector<std::string> emails) {
  std::lock_guard guard{state_->mutex};
  state_->onlines = emails.empty() ? json(nullptr) : json(emails);
}

config::panel_settings panel_settings_for(const xui_emulator& xui, std::string name) {
  config::panel_settings p;
  p.name = std::move(name);
  p.base_url = xui.base_url();
  p.username = xui.options().username;
  p.password = xui.options().password;
  p.inbound_id = xui.options().inbound_id;
  p.version = xui.options().version;
  return p;
}

}  // namespace vpnbot::emulators
