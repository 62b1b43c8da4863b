#include "adapters/emulators/remnawave/remnawave_emulator.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>

#include "adapters/codec/base64.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/emulators/fake_http_server.hpp"
#include "adapters/emulators/op_faults.hpp"
#include "adapters/emulators/reply_delayer.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/panel/remnawave_protocol.hpp"

namespace vpnbot::emulators {

namespace {

using json = nlohmann::json;
using reply_fn = std::function<void(http_response)>;

http_response answer_json(int status, const json& body) {
  return {status, "application/json; charset=utf-8", {}, body.dump()};
}

http_response envelope(int status, json response) {
  return answer_json(status, json{{"response", std::move(response)}});
}

// The Nest exception filter's shape.
http_response error(int status, const std::string& code, const std::string& message,
                    const std::string& path) {
  return answer_json(status, json{{"timestamp", panel::remnawave_time(0)},
                                  {"path", path},
                                  {"message", message},
                                  {"errorCode", code}});
}

http_response bare(int status) {
  return {status, "text/plain; charset=utf-8", {}, {}};
}

std::string random_token(std::size_t n) {
  static constexpr char alphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(alphabet) - 2);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(engine)];
  return out;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool valid_username(const std::string& u) {
  if (u.size() < 3 || u.size() > 36) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty()) {
    auto slash = path.find('/');
    auto seg = path.substr(0, slash);
    out.push_back(codec::percent_decode(seg, false).value_or(std::string(seg)));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

int64_t query_number(const std::string& query, const std::string& name, int64_t fallback) {
  auto fields = codec::form_decode(query);
  if (!fields) return fallback;
  for (auto& [k, v] : *fields)
    if (k == name) try {
        return std::stoll(v);
      } catch (...) {
        return -1;
      }
  return fallback;
}

struct stored_user {
  int64_t id = 0;
  std::string uuid;
  std::string short_uuid;
  std::string username;
  std::string status = "ACTIVE";
  int64_t traffic_limit = 0;
  std::string strategy = "NO_RESET";
  int64_t expire_at_ms = 0;
  json telegram_id = nullptr;
  json description = nullptr;
  json hwid_device_limit = nullptr;
  std::string vless_uuid;
  std::string trojan_password;
  std::string ss_password;
  std::vector<std::string> squads;
  int64_t used = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

}  // namespace

std::string_view to_string(remnawave_op op) {
  switch (op) {
    case remnawave_op::create_user:
      return "create_user";
    case remnawave_op::update_user:
      return "update_user";
    case remnawave_op::get_user:
      return "get_user";
    case remnawave_op::list_users:
      return "list_users";
    case remnawave_op::delete_user:
      return "delete_user";
    case remnawave_op::enable_user:
      return "enable_user";
    case remnawave_op::disable_user:
      return "disable_user";
    case remnawave_op::connection_keys:
      return "connection_keys";
    case remnawave_op::unknown:
      break;
  }
  return "unknown";
}

struct remnawave_emulator::state {
  remnawave_emulator_options opts;

  mutable std::mutex mutex;
  std::vector<remnawave_call> calls;
  op_faults<remnawave_op> faults;
  std::map<int64_t, stored_user> users;  // by id
  int64_t next_id = 1;

  reply_delayer delayer;  // answers held back by delay faults
  std::unique_ptr<fake_http_server> server;

  stored_user* find(const std::string& username) {
    for (auto& [id, u] : users)
      if (u.username == username) return &u;
    return nullptr;
  }

  json to_json(const stored_user& u) const {
    json squads = json::array();
    for (const auto& s : u.squads)
      squads.push_back({{"uuid", s}, {"name", "squad-" + s.substr(0, 8)}});
    return {{"id", u.id},
            {"uuid", u.uuid},
            {"shortUuid", u.short_uuid},
            {"username", u.username},
            {"status", u.status},
            {"trafficLimitBytes", u.traffic_limit},
            {"trafficLimitStrategy", u.strategy},
            {"expireAt", panel::remnawave_time(u.expire_at_ms)},
            {"telegramId", u.telegram_id},
            {"email", nullptr},
            {"description", u.description},
            {"tag", nullptr},
            {"hwidDeviceLimit", u.hwid_device_limit},
            {"externalSquadUuid", nullptr},
            {"trojanPassword", u.trojan_password},
            {"vlessUuid", u.vless_uuid},
            {"ssPassword", u.ss_password},
            {"lastTriggeredThreshold", 0},
            {"subRevokedAt", nullptr},
            {"lastTrafficResetAt", nullptr},
            {"createdAt", panel::remnawave_time(u.created_ms)},
            {"updatedAt", panel::remnawave_time(u.updated_ms)},
            {"subscriptionUrl", opts.sub_public_url + "/" + u.short_uuid},
            {"activeInternalSquads", squads},
            {"userTraffic",
             {{"usedTrafficBytes", u.used},
              {"lifetimeUsedTrafficBytes", u.used},
              {"onlineAt", nullptr},
              {"firstConnectedAt", nullptr},
              {"lastConnectedNodeUuid", nullptr}}}};
  }

  // The share link of each host, as the panel's xray generator makes it.
  std::vector<std::string> keys_of(const stored_user& u) const {
    std::vector<std::string> out;
    for (const auto& h : opts.hosts) {
      auto at = "@" + h.address + ":" + std::to_string(h.port);
      auto remark = "#" + codec::fragment_escape(h.remark);
      if (h.protocol == "vless")
        out.push_back("vless://" + u.vless_uuid + at +
                      "?encryption=none&security=reality&type=tcp&flow=xtls-rprx-vision" + remark);
      else if (h.protocol == "trojan")
        out.push_back("trojan://" + u.trojan_password + at + "?security=tls&type=tcp" + remark);
      else
        out.push_back("ss://" + codec::base64_encode("chacha20-ietf-poly1305:" + u.ss_password) +
                      at + remark);
    }
    return out;
  }

  static remnawave_op classify(const std::string& method, const std::vector<std::string>& seg) {
    if (seg.size() == 4 && seg[0] == "api" && seg[1] == "subscriptions" &&
        seg[2] == "connection-keys" && method == "GET")
      return remnawave_op::connection_keys;
    if (seg.size() < 2 || seg[0] != "api" || seg[1] != "users") return remnawave_op::unknown;
    auto n = seg.size();
    if (n == 2 && method == "POST") return remnawave_op::create_user;
    if (n == 2 && method == "PATCH") return remnawave_op::update_user;
    if (n == 2 && method == "GET") return remnawave_op::list_users;
    if (n == 4 && method == "GET" && seg[2] == "by-username") return remnawave_op::get_user;
    if (n == 3 && method == "DELETE") return remnawave_op::delete_user;
    if (n == 5 && method == "POST" && seg[3] == "actions" && seg[4] == "enable")
      return remnawave_op::enable_user;
    if (n == 5 && method == "POST" && seg[3] == "actions" && seg[4] == "disable")
      return remnawave_op::disable_user;
    return remnawave_op::unknown;
  }

  static http_response invalid(const std::string& why) {
    return answer_json(400, json{{"message", "Validation failed"},
                                 {"statusCode", 400},
                                 {"errors", json::array({{{"message", why}}})}});
  }

  // Fields create and update both take; an error answer when one is wrong.
  std::optional<http_response> apply(stored_user& u, const json& p, bool creating) {
    if (p.contains("status")) {
      auto s = p["status"].is_string() ? p["status"].get<std::string>() : "";
      bool ok =
          s == "ACTIVE" || s == "DISABLED" || (creating && (s == "LIMITED" || s == "EXPIRED"));
      if (!ok) return invalid("status");
      u.status = s;
    }
    if (p.contains("trafficLimitBytes")) {
      if (!p["trafficLimitBytes"].is_number() || p["trafficLimitBytes"].get<double>() < 0)
        return invalid("trafficLimitBytes");
      u.traffic_limit = p["trafficLimitBytes"].get<int64_t>();
    }
    if (p.contains("trafficLimitStrategy")) {
      auto s =
          p["trafficLimitStrategy"].is_string() ? p["trafficLimitStrategy"].get<std::string>() : "";
      if (s != "NO_RESET" && s != "DAY" && s != "WEEK" && s != "MONTH" && s != "MONTH_ROLLING")
        return invalid("trafficLimitStrategy");
      u.strategy = s;
    }
    if (p.contains("expireAt")) {
      auto ms = p["expireAt"].is_string()
                    ? panel::parse_remnawave_time(p["expireAt"].get<std::string>())
                    : std::nullopt;
      if (!ms) return invalid("expireAt");
      if (!creating && *ms <= now_ms()) return invalid("Expiration date cannot be in the past");
      u.expire_at_ms = *ms;
    }
    if (p.contains("hwidDeviceLimit")) {
      const auto& h = p["hwidDeviceLimit"];
      if (!h.is_null() && (!h.is_number_integer() || h.get<int64_t>() < 0))
        return invalid("hwidDeviceLimit");
      u.hwid_device_limit = h;
    }
    if (p.contains("telegramId")) {
      if (!p["telegramId"].is_null() && !p["telegramId"].is_number()) return invalid("telegramId");
      u.telegram_id = p["telegramId"];
    }
    if (p.contains("description")) u.description = p["description"];
    if (p.contains("activeInternalSquads")) {
      if (!p["activeInternalSquads"].is_array()) return invalid("activeInternalSquads");
      u.squads.clear();
      for (const auto& s : p["activeInternalSquads"]) {
        if (!s.is_string() || !panel::is_uuid(s.get<std::string>()))
          return invalid("activeInternalSquads");
        u.squads.push_back(s.get<std::string>());
      }
    }
    return std::nullopt;
  }

  http_response create(const json& p, const std::string& path) {
    if (!p.is_object()) return invalid("body");
    auto username = p.value("username", "");
    if (!valid_username(username)) return invalid("username");
    if (!p.contains("expireAt")) return invalid("expireAt");
    if (find(username)) return error(400, "A019", "User username already exists", path);
    stored_user u;
    u.username = username;
    if (p.contains("vlessUuid")) {
      if (!p["vlessUuid"].is_string() || !panel::is_uuid(p["vlessUuid"].get<std::string>()))
        return invalid("Invalid Vless UUID format");
      u.vless_uuid = p["vlessUuid"].get<std::string>();
    } else {
      u.vless_uuid = panel::new_client_uuid();
    }
    if (p.contains("shortUuid")) {
      if (!p["shortUuid"].is_string()) return invalid("shortUuid");
      u.short_uuid = p["shortUuid"].get<std::string>();
    } else {
      u.short_uuid = random_token(16);
    }
    for (const auto& [id, other] : users)
      if (other.short_uuid == u.short_uuid || other.vless_uuid == u.vless_uuid)
        return error(500, "A018", "Create user error", path);
    if (auto bad = apply(u, p, true)) return *bad;
    u.id = next_id++;
    u.uuid = panel::new_client_uuid();
    u.trojan_password = random_token(24);
    u.ss_password = random_token(32);
    u.created_ms = u.updated_ms = now_ms();
    auto& stored = users[u.id] = std::move(u);
    return envelope(201, to_json(stored));
  }

  http_response update(const json& p, const std::string& path) {
    if (!p.is_object()) return invalid("body");
    stored_user* u = nullptr;
    if (p.contains("username") && p["username"].is_string()) {
      u = find(p["username"].get<std::string>());
    } else if (p.contains("id") && p["id"].is_number_integer()) {
      auto it = users.find(p["id"].get<int64_t>());
      if (it != users.end()) u = &it->second;
    } else {
      return invalid("At least one of username, id must be provided");
    }
    if (!u) return error(404, "A025", "User not found", path);
    stored_user changed = *u;
    if (auto bad = apply(changed, p, false)) return *bad;
    changed.updated_ms = now_ms();
    *u = std::move(changed);
    return envelope(200, to_json(*u));
  }

  http_response answer(const http_request& r, remnawave_call& call) {
    auto seg = segments(r.path);
    call.op = classify(r.method, seg);
    if (auto f = faults.take(call.op, false)) return bare(f->status);
    const std::string* auth = r.header("authorization");
    if (!auth || *auth != "Bearer " + opts.api_token)
      return answer_json(401, json{{"message", "Unauthorized"}, {"statusCode", 401}});
    switch (call.op) {
      case remnawave_op::create_user:
        return create(call.params, r.path);
      case remnawave_op::update_user:
        return update(call.params, r.path);
      case remnawave_op::get_user: {
        auto* u = find(seg[3]);
        if (!u) return error(404, "A025", "User not found", r.path);
        return envelope(200, to_json(*u));
      }
      case remnawave_op::list_users: {
        auto start = query_number(r.query, "start", 0);
        auto size = query_number(r.query, "size", 25);
        if (start < 0 || size < 1 || size > 1000) return invalid("start/size");
        json page = json::array();
        int64_t i = 0;
        for (const auto& [id, u] : users) {
          if (i >= start && i < start + size) page.push_back(to_json(u));
          ++i;
        }
        return envelope(200, json{{"users", page}, {"total", users.size()}});
      }
      case remnawave_op::connection_keys:
      case remnawave_op::delete_user:
      case remnawave_op::enable_user:
      case remnawave_op::disable_user: {
        int64_t id = 0;
        try {
          id = std::stoll(seg[call.op == remnawave_op::connection_keys ? 3 : 2]);
        } catch (...) {
          return invalid("userId");
        }
        auto it = users.find(id);
        if (it == users.end()) return error(404, "A025", "User not found", r.path);
        if (call.op == remnawave_op::connection_keys)
          return envelope(200, json{{"enabledKeys", keys_of(it->second)},
                                    {"hiddenKeys", json::array()},
                                    {"disabledKeys", json::array()}});
        if (call.op == remnawave_op::delete_user) {
          users.erase(it);
          return {204, "application/json", {}, {}};
        }
        auto want = call.op == remnawave_op::enable_user ? "ACTIVE" : "DISABLED";
        if (it->second.status == want)
          return error(400, call.op == remnawave_op::enable_user ? "A030" : "A029",
                       call.op == remnawave_op::enable_user ? "User already enabled"
                                                            : "User already disabled",
                       r.path);
        it->second.status = want;
        return envelope(200, to_json(it->second));
      }
      case remnawave_op::unknown:
        break;
    }
    return error(404, "E000", "Cannot " + r.method + " " + r.path, r.path);
  }

  void handle(const http_request& r, reply_fn reply) {
    remnawave_call call;
    call.method = r.method;
    call.path = r.path;
    call.query = r.query;
    call.body = r.body;
    auto j = json::parse(r.body, nullptr, false);
    call.params = j.is_object() ? j : json(nullptr);
    if (auto* a = r.header("authorization")) call.bearer = a->starts_with("Bearer ");
    std::unique_lock lock{mutex};
    auto response = answer(r, call);
    call.status = response.status;
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

remnawave_emulator::remnawave_emulator(remnawave_emulator_options o)
    : state_(std::make_unique<state>()) {
  auto& s = *state_;
  s.opts = std::move(o);
  auto* self = state_.get();
  s.server = std::make_unique<fake_http_server>(
      fake_http_server::async_handler{
          [self](const http_request& r, reply_fn reply) { self->handle(r, std::move(reply)); }},
      fake_http_options{.tls = s.opts.tls});
}

remnawave_emulator::~remnawave_emulator() {
  state_->delayer.stop();
  state_->server.reset();
}

std::string remnawave_emulator::base_url() const {
  return state_->server->base_url() + "/";
}

const remnawave_emulator_options& remnawave_emulator::options() const {
  return state_->opts;
}

void remnawave_emulator::fail_next(remnawave_op op, int times, int status) {
  std::lock_guard guard{state_->mutex};
  state_->faults.fail_next(op, times, status);
}

void remnawave_emulator::fail_every(remnawave_op op, int k, int status) {
  std::lock_guard guard{state_->mutex};
  state_->faults.fail_every(op, k, status);
}

void remnawave_emulator::recover(remnawave_op op) {
  std::lock_guard guard{state_->mutex};
  state_->faults.clear_failures(op);
}

void remnawave_emulator::delay_next(remnawave_op op, std::chrono::milliseconds delay, int times) {
  std::lock_guard guard{state_->mutex};
  state_->faults.delay_next(op, times, delay);
}

void remnawave_emulator::set_api_token(std::string token) {
  std::lock_guard guard{state_->mutex};
  state_->opts.api_token = std::move(token);
}

void remnawave_emulator::set_hosts(std::vector<remnawave_host> hosts) {
  std::lock_guard guard{state_->mutex};
  state_->opts.hosts = std::move(hosts);
}

void remnawave_emulator::set_down(bool down) {
  if (down)
    state_->server->inject(fake_fault::close_connection(), -1);
  else
    state_->server->clear_faults();
}

std::vector<remnawave_call> remnawave_emulator::calls() const {
  std::lock_guard guard{state_->mutex};
  return state_->calls;
}

std::vector<remnawave_call> remnawave_emulator::calls(remnawave_op op) const {
  std::lock_guard guard{state_->mutex};
  std::vector<remnawave_call> out;
  for (const auto& c : state_->calls)
    if (c.op == op) out.push_back(c);
  return out;
}

std::size_t remnawave_emulator::call_count(remnawave_op op) const {
  return calls(op).size();
}

std::vector<nlohmann::json> remnawave_emulator::users() const {
  std::lock_guard guard{state_->mutex};
  std::vector<nlohmann::json> out;
  for (const auto& [id, u] : state_->users) out.push_back(state_->to_json(u));
  return out;
}

std::optional<nlohmann::json> remnawave_emulator::user(const std::string& username) const {
  std::lock_guard guard{state_->mutex};
  if (auto* u = state_->find(username)) return state_->to_json(*u);
  return std::nullopt;
}

nlohmann::json remnawave_emulator::seed_user(const std::string& username,
                                             std::chrono::system_clock::time_point expire_at) {
  std::lock_guard guard{state_->mutex};
  stored_user u;
  u.id = state_->next_id++;
  u.uuid = panel::new_client_uuid();
  u.vless_uuid = panel::new_client_uuid();
  u.short_uuid = random_token(16);
  u.username = username;
  u.expire_at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(expire_at.time_since_epoch()).count();
  u.trojan_password = random_token(24);
  u.ss_password = random_token(32);
  u.created_ms = u.updated_ms = now_ms();
  auto& stored = state_->users[u.id] = std::move(u);
  return state_->to_json(stored);
}

nlohmann::json remnawave_emulator::seed_user(const panel_client& client) {
  std::lock_guard guard{state_->mutex};
  stored_user u;
  u.id = state_->next_id++;
  u.uuid = panel::new_client_uuid();
  u.vless_uuid = client.id;
  u.short_uuid = client.sub_id;
  u.username = client.email;
  u.status = client.enable ? "ACTIVE" : "DISABLED";
  u.traffic_limit = client.total_bytes;
  u.expire_at_ms = client.expiry_time_ms;
  if (client.tg_id != 0) u.telegram_id = client.tg_id;
  if (client.limit_ip != 0) u.hwid_device_limit = client.limit_ip;
  u.trojan_password = random_token(24);
  u.ss_password = random_token(32);
  u.created_ms = u.updated_ms = now_ms();
  auto& stored = state_->users[u.id] = std::move(u);
  return state_->to_json(stored);
}

void remnawave_emulator::drop_user(const std::string& username) {
  std::lock_guard guard{state_->mutex};
  if (auto* u = state_->find(username)) state_->users.erase(u->id);
}

void remnawave_emulator::edit_user(const std::string& username, const std::string& status,
                                   int64_t expire_at_ms) {
  std::lock_guard guard{state_->mutex};
  if (auto* u = state_->find(username)) {
    u->status = status;
    u->expire_at_ms = expire_at_ms;
    u->updated_ms = now_ms();
  }
}

void remnawave_emulator::set_used_traffic(const std::string& username, int64_t bytes) {
  std::lock_guard guard{state_->mutex};
  if (auto* u = state_->find(username)) u->used = bytes;
}

config::panel_settings panel_settings_for(const remnawave_emulator& panel, std::string name) {
  config::panel_settings p;
  p.name = std::move(name);
  p.kind = "remnawave";
  p.base_url = panel.base_url();
  p.api_token = panel.options().api_token;
  return p;
}

}  // namespace vpnbot::emulators
