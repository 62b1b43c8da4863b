#include "config/loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <sstream>

#include "config/redacted_database_url.hpp"
#include "config/schema/schema.hpp"
#include "config/secret_name.hpp"

extern char** environ;

namespace vpnbot::config {
namespace {

// The first refusal among the validators registered for `key`.
std::optional<std::string> validate(const std::vector<validator>& validators,
                                    const std::string& key, const std::string& value) {
  for (const auto& v : validators)
    if (v.key == key)
      if (auto err = v.check(value)) return err;
  return std::nullopt;
}

// A value the validators refuse is not parsed, so the setting keeps its default.
std::optional<std::string> parse_key(const key_spec& spec, const std::string& text,
                                     const std::vector<validator>& validators, settings& s) {
  if (auto err = validate(validators, spec.section + "." + spec.key, text)) return err;
  return spec.parse(s, text);
}

// A panel name as it appears in environment variable names.
std::string env_token(const std::string& name) {
  std::string out;
  for (unsigned char c : name) out += std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
  return out;
}

std::optional<std::string> toml_scalar(const toml::node& node) {
  if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (node.is_boolean()) return std::string(*node.value<bool>() ? "true" : "false");
  return std::nullopt;
}

// http(s)://<loopback host>[:port][/...]: the address of a local emulator.
bool is_loopback_url(const std::string& u) {
  auto scheme_end = u.find("://");
  if (scheme_end == std::string::npos) return false;
  auto rest = std::string_view(u).substr(scheme_end + 3);
  std::string_view host;
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
  } else {
    host = rest.substr(0, rest.find_first_of(":/"));
  }
  bool ipv4_loopback = host.starts_with("127.") &&
                       std::all_of(host.begin(), host.end(),
                                   [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
  return host == "localhost" || host == "::1" || ipv4_loopback;
}

void cross_checks(const std::vector<validator>& validators, load_result& r) {
  auto& s = r.value;
  if (s.supervision.backoff_max < s.supervision.backoff_min)
    r.errors.push_back("supervision.backoff_max: expected at least supervision.backoff_min");
  if (!s.http.metrics_listen_host.empty() && s.http.metrics_listen_port != 0 &&
      s.http.metrics_listen_host == s.http.listen_host &&
      s.http.metrics_listen_port == s.http.listen_port)
    r.errors.push_back("http.metrics_listen: expected an address other than http.listen");
  if (s.cluster.enabled() && s.database.url.empty())
    r.errors.push_back(
        "cluster.listen: expected database.url as well (the nodes share one PostgreSQL; the "
        "embedded one is private to a node)");
  if (s.http_client.total_timeout < s.http_client.connect_timeout)
    r.errors.push_back("http_client.total_timeout: expected at least http_client.connect_timeout");
  if (s.telegram.mode == "webhook") {
    if (s.telegram.webhook_url.empty())
      r.errors.push_back("telegram.webhook_url: expected a URL when telegram.mode is webhook");
    if (s.telegram.webhook_secret.empty())
      r.errors.push_back(
          "telegram.webhook_secret: expected a secret when telegram.mode is webhook");
  }
  if (s.telegram.unlimited_rates && !is_loopback_url(s.telegram.api_base))
    r.errors.push_back(
        "telegram.unlimited_rates: only with a loopback telegram.api_base (127.0.0.0/8, ::1, "
        "localhost); Telegram itself enforces its limits");
  const auto& secret = s.telegram.webhook_secret;
  if (secret.size() > 256 || !std::all_of(secret.begin(), secret.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
      }))
    r.errors.push_back("telegram.webhook_secret: expected 1-256 characters of A-Z a-z 0-9 _ -");
  if (s.coingate.enabled()) {
    // The token is only checked without being stored when we derive it.
    if (s.coingate.callback_secret.empty())
      r.errors.push_back("coingate.callback_secret: expected a secret when coingate is enabled");
    if (!s.coingate.public_url.starts_with("https://") &&
        !s.coingate.public_url.starts_with("http://"))
      r.errors.push_back(
          "coingate.public_url: expected the service's public URL when coingate is enabled");
  }
  if (s.database.embedded_dir.empty()) s.database.embedded_dir = s.service.data_dir + "/pg";
  // Only configured providers are offered; Stars need nothing but the bot.
  std::erase_if(s.bot.payment_methods, [&](const std::string& m) {
    return (m == "cryptobot" && !s.cryptobot.enabled()) ||
           (m == "yookassa" && !s.yookassa.enabled()) ||
           (m == "robokassa" && !s.robokassa.enabled()) ||
           (m == "coingate" && !s.coingate.enabled());
  });
  const auto& pd = s.panel_defaults;
  if (pd.retry_backoff_max < pd.retry_backoff_min)
    r.errors.push_back(
        "panel_defaults.retry_backoff_max: expected at least panel_defaults.retry_backoff_min");
  for (std::size_t i = 0; i < s.panels.size(); ++i) {
    auto& p = s.panels[i];
    auto where = "panels[" + std::to_string(i) + "]";
    auto valid_name = !p.name.empty() && std::all_of(p.name.begin(), p.name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!valid_name || p.name == "defaults")
      r.errors.push_back(where + ".name: expected [a-z0-9_-] characters, not \"defaults\"");
    for (std::size_t j = 0; j < i; ++j)
      if (s.panels[j].name == p.name) r.errors.push_back(where + ".name: expected a unique name");
    for (const auto& k : panel_schema())
      if (auto err = validate(validators, "panels[]." + k.key, k.print(p)))
        r.errors.push_back(where + "." + k.key + ": " + *err);
    if (p.kind == "remnawave") {
      // No login: the API token is all a Remnawave panel takes.
      if (p.api_token.empty())
        r.errors.push_back(where +
                           ".api_token: expected the Remnawave API token (kind = remnawave)");
      if (!p.username.empty() || !p.password.empty() || !p.totp_secret.empty())
        r.errors.push_back(where +
                           ".username: not used by a Remnawave panel (it takes api_token only)");
    } else if (p.kind != "3x-ui") {
      r.errors.push_back(where + ".kind: expected \"3x-ui\" or \"remnawave\", not \"" + p.kind +
                         "\"");
    } else if (p.api_token.empty() && (p.username.empty() || p.password.empty())) {
      r.errors.push_back(where + ".password: expected username and password (or api_token)");
    }
    if (p.connect_timeout == duration::zero()) p.connect_timeout = pd.connect_timeout;
    if (p.call_timeout == duration::zero()) p.call_timeout = pd.call_timeout;
    if (p.call_timeout < p.connect_timeout)
      r.errors.push_back(where + ".call_timeout: expected at least its connect_timeout");
  }
}

void load_panels(const toml::node& node, const std::string& file, load_result& r) {
  auto* list = node.as_array();
  if (!list) {
    r.errors.push_back("panels: expected [[panels]] tables");
    return;
  }
  for (auto&& entry : *list) {
    auto* table = entry.as_table();
    auto where = "panels[" + std::to_string(r.value.panels.size()) + "]";
    r.value.panels.emplace_back();
    if (!table) {
      r.errors.push_back(where + ": expected a table");
      continue;
    }
    for (auto&& [key_name, value] : *table) {
      std::string key(key_name.str());
      const auto* spec = find_panel_key(key);
      if (!spec) {
        r.errors.push_back(where + "." + key + ": unknown key (see vpnbot --help)");
        continue;
      }
      auto text = toml_scalar(value);
      if (!text) {
        r.errors.push_back(where + "." + key + ": expected a string, number or boolean");
        continue;
      }
      if (auto err = spec->parse(r.value.panels.back(), *text))
        r.errors.push_back(where + "." + key + " (in " + file + "): " + *err);
    }
  }
}

// VPNBOT_PANEL_<NAME>_<KEY> for a panel the file names; false when `name` is none.
bool load_panel_env(const std::string& name, const std::string& text, load_result& r) {
  for (std::size_t i = 0; i < r.value.panels.size(); ++i) {
    auto& p = r.value.panels[i];
    auto prefix = "VPNBOT_PANEL_" + env_token(p.name) + "_";
    if (p.name.empty() || !name.starts_with(prefix)) continue;
    std::string key = name.substr(prefix.size());
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto* spec = find_panel_key(key);
    if (!spec || key == "name") continue;
    if (auto err = spec->parse(p, text))
      r.errors.push_back("panels[" + std::to_string(i) + "]." + key + " (from " + name +
                         "): " + *err);
    return true;
  }
  return false;
}

}  // namespace

env_map process_environment() {
  env_map out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos || entry.rfind("VPNBOT_", 0) != 0) continue;
    out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

load_result load(const std::optional<std::string>& file, const env_map& env,
                 const std::vector<validator>& validators) {
  load_result r;
  if (file) {
    try {
      auto root = toml::parse_file(*file);
      for (auto&& [section_name, section_node] : root) {
        std::string section(section_name.str());
        if (section == "panels") {
          load_panels(section_node, *file, r);
          continue;
        }
        auto* table = section_node.as_table();
        if (!table) {
          r.errors.push_back(section + ": expected a [" + section + "] table");
          continue;
        }
        for (auto&& [key_name, value] : *table) {
          std::string key(key_name.str());
          const auto* spec = find_key(section, key);
          if (!spec) {
            r.errors.push_back(section + "." + key + ": unknown key (see vpnbot --help)");
            continue;
          }
          auto text = toml_scalar(value);
          if (!text) {
            r.errors.push_back(section + "." + key + ": expected a string, number or boolean");
            continue;
          }
          if (auto err = parse_key(*spec, *text, validators, r.value))
            r.errors.push_back(section + "." + key + " (in " + *file + "): " + *err);
        }
      }
    } catch (const toml::parse_error& e) {
      std::ostringstream os;
      os << *file << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
         << e.description();
      r.errors.push_back(os.str());
    }
  }
  for (const auto& [name, text] : env) {
    const key_spec* match = nullptr;
    for (const auto& k : schema())
      if (env_name(k) == name) match = &k;
    if (!match && load_panel_env(name, text, r)) continue;
    if (!match) {
      r.warnings.push_back(name + ": not a configuration key, ignored");
      continue;
    }
    if (auto err = parse_key(*match, text, validators, r.value))
      r.errors.push_back(match->section + "." + match->key + " (from " + name + "): " + *err);
  }
  cross_checks(validators, r);
  return r;
}

std::string describe(const settings& s) {
  std::string out;
  std::string current;
  for (const auto& k : schema()) {
    if (k.section != current) {
      out += (current.empty() ? "[" : "\n[") + k.section + "]\n";
      current = k.section;
    }
    auto value = k.print(s);
    if (is_secret_name(k.key) && !value.empty()) value = "***";
    if (k.key == "url" && k.section == "database") value = redacted_database_url(value);
    out += k.key + " = " + (k.quoted ? "\"" + value + "\"" : value) + "\n";
  }
  for (const auto& p : s.panels) {
    out += "\n[[panels]]\n";
    for (const auto& k : panel_schema()) {
      auto value = k.print(p);
      if (is_secret_name(k.key) && !value.empty()) value = "***";
      out += k.key + " = " + (k.quoted ? "\"" + value + "\"" : value) + "\n";
    }
  }
  return out;
}

std::string help_text() {
  std::string out;
  settings defaults;
  for (const auto& k : schema()) {
    auto def = k.print(defaults);
    out += "  " + k.section + "." + k.key + "  (" + env_name(k) + ")\n      " + k.description +
           (def.empty() ? "" : "; default " + def) + "\n";
  }
  for (const auto& k : panel_schema()) {
    auto upper = env_token(k.key);
    out += "  panels[]." + k.key + "  (VPNBOT_PANEL_<NAME>_" + upper +
           ", for a panel in the file)\n      " + k.description + "\n";
  }
  return out;
}

}  // namespace vpnbot::config
