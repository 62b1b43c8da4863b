#include "adapters/panel/xui_model.hpp"

#include <cmath>
#include <limits>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

// Reads fields of one JSON object; missing and null fields keep their
// defaults (Go's zero values), a present field of the wrong type is the
// first error, named by object and key.
class fields {
 public:
  fields(const json& object, std::string_view what) : object_(object), what_(what) {}

  bool ok() const { return error_.empty(); }
  caf::error error() const {
    return caf::make_error(panel_errc::malformed_reply, std::string(what_) + ": " + error_);
  }

  void integer(const char* key, int64_t& out) {
    const json* v = find(key);
    if (v && !to_int(*v, out)) fail(key, "a whole number");
  }

  void integer(const char* key, int& out) {
    int64_t wide = out;
    integer(key, wide);
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
      fail(key, "a 32-bit number");
    else
      out = static_cast<int>(wide);
  }

  // tgId: the Go side writes a number, the web UI writes "" (or digits).
  void loose_integer(const char* key, int64_t& out) {
    const json* v = find(key);
    if (!v) return;
    if (v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      if (s.empty()) {
        out = 0;
        return;
      }
      std::size_t used = 0;
      try {
        out = std::stoll(s, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != s.size() || used == 0) fail(key, "a number or a string of digits");
      return;
    }
    if (!to_int(*v, out)) fail(key, "a number or a string of digits");
  }

  void text(const char* key, std::string& out) {
    const json* v = find(key);
    if (!v) return;
    if (v->is_string())
      out = v->get<std::string>();
    else
      fail(key, "a string");
  }

  void boolean(const char* key, bool& out) {
    const json* v = find(key);
    if (!v) return;
    if (v->is_boolean())
      out = v->get<bool>();
    else
      fail(key, "true or false");
  }

  // A JSON document stored as a string (settings, streamSettings, sniffing).
  void embedded(const char* key, json& out) {
    const json* v = find(key);
    if (!v) return;
    if (v->is_object()) {
      out = *v;
      return;
    }
    if (!v->is_string()) return fail(key, "a JSON string");
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty()) return;
    auto parsed = json::parse(s, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
      fail(key, "a string holding a JSON object");
    else
      out = std::move(parsed);
  }

  const json* find(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void fail(const char* key, std::string_view expected) {
    if (error_.empty()) error_ = std::string("field ") + key + " is not " + std::string(expected);
  }

 private:
  static bool to_int(const json& v, int64_t& out) {
    if (v.is_number_integer()) {
      if (v.is_number_unsigned() &&
          v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return false;
      out = v.get<int64_t>();
      return true;
    }
    if (v.is_number_float()) {
      // JavaScript clients may write 1e10; only whole values in range count.
      double d = v.get<double>();
      if (std::trunc(d) != d || std::fabs(d) >= 9.2e18) return false;
      out = static_cast<int64_t>(d);
      return true;
    }
    return false;
  }

  const json& object_;
  std::string_view what_;
  std::string error_;
};

caf::error not_an(std::string_view what) {
  return caf::make_error(panel_errc::malformed_reply, std::string(what) + " is not a JSON object");
}

}  // namespace

caf::expected<xui_client> parse_client(const json& j) {
  if (!j.is_object()) return not_an("client");
  xui_client c;
  c.enable = false;
  fields f(j, "client");
  f.text("id", c.id);
  f.text("flow", c.flow);
  f.text("email", c.email);
  f.integer("limitIp", c.limit_ip);
  f.integer("totalGB", c.total_bytes);
  f.integer("expiryTime", c.expiry_time_ms);
  f.boolean("enable", c.enable);
  f.loose_integer("tgId", c.tg_id);
  f.text("subId", c.sub_id);
  f.integer("reset", c.reset_days);
  f.text("comment", c.comment);
  if (!f.ok()) return f.error();
  return c;
}

caf::expected<xui_client_traffic> parse_client_traffic(const json& j) {
  if (!j.is_object()) return not_an("client traffic");
  xui_client_traffic t;
  t.enable = false;
  fields f(j, "client traffic");
  f.integer("id", t.id);
  f.integer("inboundId", t.inbound_id);
  f.boolean("enable", t.enable);
  f.text("email", t.email);
  f.text("uuid", t.uuid);
  f.text("subId", t.sub_id);
  f.integer("up", t.up);
  f.integer("down", t.down);
  f.integer("allTime", t.all_time);
  f.integer("expiryTime", t.expiry_time_ms);
  f.integer("total", t.total_bytes);
  f.integer("reset", t.reset_days);
  f.integer("lastOnline", t.last_online_ms);
  if (!f.ok()) return f.error();
  return t;
}

caf::expected<xui_inbound> parse_inbound(const json& j) {
  if (!j.is_object()) return not_an("inbound");
  xui_inbound in;
  in.enable = false;
  fields f(j, "inbound");
  f.integer("id", in.id);
  f.integer("up", in.up);
  f.integer("down", in.down);
  f.integer("total", in.total);
  f.text("remark", in.remark);
  f.boolean("enable", in.enable);
  f.integer("expiryTime", in.expiry_time_ms);
  f.text("listen", in.listen);
  f.integer("port", in.port);
  f.text("protocol", in.protocol);
  f.embedded("settings", in.settings);
  f.embedded("streamSettings", in.stream_settings);
  f.embedded("sniffing", in.sniffing);
  f.text("tag", in.tag);
  if (!f.ok()) return f.error();

  if (const json* stats = f.find("clientStats")) {
    if (!stats->is_array())
      return caf::make_error(panel_errc::malformed_reply, "inbound: clientStats is not an array");
    for (const auto& s : *stats) {
      auto t = parse_client_traffic(s);
      if (!t) return t.error();
      in.client_stats.push_back(std::move(*t));
    }
  }
  auto clients = in.settings.find("clients");
  if (clients != in.settings.end() && !clients->is_null()) {
    if (!clients->is_array())
      return caf::make_error(panel_errc::malformed_reply,
                             "inbound: settings.clients is not an array");
    for (const auto& c : *clients) {
      auto client = parse_client(c);
      if (!client) return client.error();
      in.clients.push_back(std::move(*client));
    }
  }
  return in;
}

caf::expected<std::vector<xui_inbound>> parse_inbounds(const json& obj) {
  std::vector<xui_inbound> out;
  if (obj.is_null()) return out;
  if (!obj.is_array())
    return caf::make_error(panel_errc::malformed_reply, "inbound list is not an array");
  for (const auto& item : obj) {
    auto in = parse_inbound(item);
    if (!in) return in.error();
    out.push_back(std::move(*in));
  }
  return out;
}

caf::expected<std::optional<xui_client_traffic>> parse_optional_client_traffic(const json& obj) {
  if (obj.is_null()) return std::optional<xui_client_traffic>{};
  auto t = parse_client_traffic(obj);
  if (!t) return t.error();
  return std::optional<xui_client_traffic>{std::move(*t)};
}

caf::expected<std::vector<std::string>> parse_onlines(const json& obj) {
  std::vector<std::string> out;
  if (obj.is_null()) return out;
  if (!obj.is_array())
    return caf::make_error(panel_errc::malformed_reply, "onlines is not an array");
  for (const auto& e : obj) {
    if (!e.is_string())
      return caf::make_error(panel_errc::malformed_reply, "onlines holds a non-string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

json to_json(const xui_client& c) {
  json j = json::object();
  j["id"] = c.id;
  j["flow"] = c.flow;
  j["email"] = c.email;
  j["limitIp"] = c.limit_ip;
  j["totalGB"] = c.total_bytes;
  j["expiryTime"] = c.expiry_time_ms;
  j["enable"] = c.enable;
  j["tgId"] = c.tg_id;
  j["subId"] = c.sub_id;
  j["reset"] = c.reset_days;
  j["comment"] = c.comment;
  return j;
}

}  // namespace vpnbot::panel
