#include "adapters/panel/link.hpp"

#include <openssl/rand.h>

#include <map>
#include <stdexcept>

#include "adapters/codec/url_encoding.hpp"
#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;
using params = std::map<std::string, std::string>;  // sorted like Go's Values.Encode

constexpr std::string_view spider_alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::size_t spider_length = 15;

caf::error unsupported(std::string what) {
  return caf::make_error(panel_errc::unsupported_inbound, std::move(what));
}

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string string_or_empty(const json* j) {
  return j && j->is_string() ? j->get<std::string>() : std::string{};
}

// The panel's searchKey: the first value stored under `key` anywhere below.
const json* search_key(const json& j, const char* key) {
  if (j.is_object()) {
    if (auto direct = member(j, key)) return direct;
    for (const auto& [k, v] : j.items())
      if (auto found = search_key(v, key)) return found;
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (auto found = search_key(v, key)) return found;
  }
  return nullptr;
}

// The panel's searchHost: a case-insensitive "host" header, first value.
std::string search_host(const json* headers) {
  if (!headers || !headers->is_object()) return {};
  for (const auto& [k, v] : headers->items()) {
    if (k.size() != 4) continue;
    std::string lower;
    for (char c : k) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower != "host") continue;
    if (v.is_array()) return v.empty() ? std::string{} : string_or_empty(&v.front());
    return string_or_empty(&v);
  }
  return {};
}

caf::error path_and_host(const json* settings, const char* section, params& p) {
  const json* path = settings ? member(*settings, "path") : nullptr;
  if (!path || !path->is_string()) return unsupported(std::string(section) + ".path is missing");
  p["path"] = path->get<std::string>();
  auto host = string_or_empty(member(*settings, "host"));
  p["host"] = host.empty() ? search_host(member(*settings, "headers")) : host;
  return {};
}

caf::error transport(const json& stream, const std::string& network, params& p) {
  if (network == "tcp") {
    const json* tcp = member(stream, "tcpSettings");
    const json* header = tcp ? member(*tcp, "header") : nullptr;
    if (!header || string_or_empty(member(*header, "type")) != "http") return {};
    const json* request = member(*header, "request");
    const json* paths = request ? member(*request, "path") : nullptr;
    if (!paths || !paths->is_array() || paths->empty() || !paths->front().is_string())
      return unsupported("tcpSettings.header.request.path is missing");
    p["path"] = paths->front().get<std::string>();
    p["host"] = search_host(member(*request, "headers"));
    p["headerType"] = "http";
    return {};
  }
  if (network == "ws") return path_and_host(member(stream, "wsSettings"), "wsSettings", p);
  if (network == "httpupgrade")
    return path_and_host(member(stream, "httpupgradeSettings"), "httpupgradeSettings", p);
  if (network == "xhttp") {
    const json* xhttp = member(stream, "xhttpSettings");
    if (auto e = path_and_host(xhttp, "xhttpSettings", p)) return e;
    if (const json* mode = member(*xhttp, "mode"); mode && mode->is_string())
      p["mode"] = mode->get<std::string>();
    return {};
  }
  if (network == "grpc") {
    const json* grpc = member(stream, "grpcSettings");
    const json* service = grpc ? member(*grpc, "serviceName") : nullptr;
    if (!service || !service->is_string())
      return unsupported("grpcSettings.serviceName is missing");
    p["serviceName"] = service->get<std::string>();
    p["authority"] = string_or_empty(member(*grpc, "authority"));
    if (const json* multi = member(*grpc, "multiMode"); multi && multi->is_boolean() && *multi)
      p["mode"] = "multi";
    return {};
  }
  return unsupported("network " + network + " is not supported");
}

void tls(const json& stream, params& p) {
  p["security"] = "tls";
  const json* settings = member(stream, "tlsSettings");
  if (!settings) return;
  if (const json* alpn = member(*settings, "alpn"); alpn && alpn->is_array() && !alpn->empty()) {
    std::string joined;
    for (const auto& a : *alpn) {
      if (&a != &alpn->front()) joined += ',';
      joined += string_or_empty(&a);
    }
    p["alpn"] = joined;
  }
  if (const json* sni = search_key(*settings, "serverName")) p["sni"] = string_or_empty(sni);
  if (const json* inner = search_key(*settings, "settings"))
    if (const json* fp = search_key(*inner, "fingerprint")) p["fp"] = string_or_empty(fp);
}

caf::expected<std::string> pick(const json* list, const char* name, const random_index& random) {
  if (!list || !list->is_array() || list->empty())
    return unsupported(std::string("realitySettings.") + name + " is empty");
  std::size_t i = random(list->size());
  if (i >= list->size() || !(*list)[i].is_string())
    return unsupported(std::string("realitySettings.") + name + " holds a non-string");
  return (*list)[i].get<std::string>();
}

caf::error reality(const json& stream, const random_index& random, params& p) {
  p["security"] = "reality";
  const json* settings = member(stream, "realitySettings");
  if (!settings || !settings->is_object()) return {};
  const json* inner = search_key(*settings, "settings");
  if (const json* names = search_key(*settings, "serverNames")) {
    auto sni = pick(names, "serverNames", random);
    if (!sni) return sni.error();
    p["sni"] = *sni;
  }
  if (const json* pbk = inner ? search_key(*inner, "publicKey") : nullptr)
    p["pbk"] = string_or_empty(pbk);
  if (const json* ids = search_key(*settings, "shortIds")) {
    auto sid = pick(ids, "shortIds", random);
    if (!sid) return sid.error();
    p["sid"] = *sid;
  }
  if (auto fp = string_or_empty(inner ? search_key(*inner, "fingerprint") : nullptr); !fp.empty())
    p["fp"] = fp;
  if (auto pqv = string_or_empty(inner ? search_key(*inner, "mldsa65Verify") : nullptr);
      !pqv.empty())
    p["pqv"] = pqv;
  std::string spx = "/";
  for (std::size_t i = 0; i < spider_length; ++i) {
    std::size_t k = random(spider_alphabet.size());
    if (k >= spider_alphabet.size()) return unsupported("random index out of range");
    spx += spider_alphabet[k];
  }
  p["spx"] = spx;
  return {};
}

std::string remark(const link_settings& s, const xui_inbound& inbound, const xui_client& client,
                   const std::string& extra) {
  std::string separator(1, s.remark_model.front());
  std::string out;
  for (char order : std::string_view(s.remark_model).substr(1)) {
    const std::string* part = order == 'i'   ? &inbound.remark
                              : order == 'e' ? &client.email
                              : order == 'o' ? &extra
                                             : nullptr;
    if (!part || part->empty()) continue;
    if (!out.empty()) out += separator;
    out += *part;
  }
  return out;
}

std::string host_for_uri(const std::string& host) {
  if (host.find(':') != std::string::npos && host.front() != '[') return "[" + host + "]";
  return host;
}

std::string encode(const params& p, const std::string* security_override, bool omit_tls_fields) {
  std::string out;
  for (const auto& [k, v] : p) {
    if (omit_tls_fields && (k == "alpn" || k == "sni" || k == "fp")) continue;
    if (!out.empty()) out += '&';
    out += codec::query_escape(k);
    out += '=';
    out += codec::query_escape(k == "security" && security_override ? *security_override : v);
  }
  return out;
}

std::string assemble(const std::string& uuid, const std::string& host, int64_t port,
                     const std::string& query, const std::string& fragment) {
  std::string link = "vless://" + uuid + "@" + host_for_uri(host) + ":" + std::to_string(port);
  if (!query.empty()) link += "?" + query;
  if (!fragment.empty()) link += "#" + codec::fragment_escape(fragment);
  return link;
}

bool is_wildcard(const std::string& listen) {
  return listen.empty() || listen == "0.0.0.0" || listen == "::" || listen == "::0";
}

}  // namespace

std::size_t secure_random_index(std::size_t bound) {
  if (bound == 0) throw std::invalid_argument("secure_random_index needs a positive bound");
  // Rejection sampling keeps the distribution uniform for any bound.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t r = 0;
  do {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&r), sizeof r) != 1)
      throw std::runtime_error("RAND_bytes failed");
  } while (r >= limit);
  return static_cast<std::size_t>(r % bound);
}

caf::expected<std::vector<std::string>> vless_links(const xui_inbound& inbound,
                                                    const xui_client& client,
                                                    const link_settings& settings) {
  if (inbound.protocol != "vless")
    return unsupported("protocol " + inbound.protocol + " is not vless");
  if (client.id.empty()) return caf::make_error(panel_errc::invalid_argument, "client has no id");
  if (settings.remark_model.empty() || static_cast<unsigned char>(settings.remark_model[0]) > 0x7f)
    return caf::make_error(panel_errc::invalid_argument, "remark model needs an ASCII separator");
  const json& stream = inbound.stream_settings;
  const json* network = member(stream, "network");
  if (!network || !network->is_string()) return unsupported("streamSettings.network is missing");
  const std::string net = network->get<std::string>();

  params p;
  p["type"] = net;
  if (const json* enc = member(inbound.settings, "encryption"); enc && enc->is_string())
    p["encryption"] = enc->get<std::string>();
  if (auto e = transport(stream, net, p)) return e;
  const std::string security = string_or_empty(member(stream, "security"));
  if (security == "tls") {
    tls(stream, p);
  } else if (security == "reality") {
    if (auto e = reality(stream, settings.random, p)) return e;
  } else {
    p["security"] = "none";
  }
  if ((security == "tls" || security == "reality") && net == "tcp" && !client.flow.empty())
    p["flow"] = client.flow;

  std::vector<std::string> links;
  const json* proxies = member(stream, "externalProxy");
  if (proxies && proxies->is_array() && !proxies->empty()) {
    for (const auto& ep : *proxies) {
      const std::string force = string_or_empty(member(ep, "forceTls"));
      const std::string dest = string_or_empty(member(ep, "dest"));
      const json* port = member(ep, "port");
      if (dest.empty() || !port || !port->is_number())
        return unsupported("externalProxy entry needs dest and port");
      const std::string applied = force == "same" ? security : force;
      links.push_back(
          assemble(client.id, dest, port->get<int64_t>(), encode(p, &applied, force == "none"),
                   remark(settings, inbound, client, string_or_empty(member(ep, "remark")))));
    }
    return links;
  }
  const std::string host = is_wildcard(inbound.listen) ? settings.public_host : inbound.listen;
  if (host.empty())
    return caf::make_error(panel_errc::invalid_argument,
                           "inbound listens on all interfaces and no public host is set");
  links.push_back(assemble(client.id, host, inbound.port, encode(p, nullptr, false),
                           remark(settings, inbound, client, "")));
  return links;
}

std::string subscription_url(std::string_view sub_base, std::string_view sub_id) {
  return std::string(sub_base) + codec::path_segment_escape(sub_id);
}

}  // namespace vpnbot::panel
