// The [panel_defaults] keys and the keys of one [[panels]] entry.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {
namespace {

panel_key panel_string(std::string key, std::string desc, std::string panel_settings::*field) {
  return {key, desc,
          [=](panel_settings& p, const std::string& v) -> std::optional<std::string> {
            p.*field = v;
            return std::nullopt;
          },
          [=](const panel_settings& p) { return p.*field; }};
}

panel_key panel_duration(std::string key, std::string desc, duration panel_settings::*field) {
  return {key, desc,
          [=](panel_settings& p, const std::string& v) -> std::optional<std::string> {
            auto d = parse_duration(v);
            if (!d) return "expected a duration such as \"500ms\", \"10s\" (0s: the default)";
            p.*field = *d;
            return std::nullopt;
          },
          [=](const panel_settings& p) { return print_duration(p.*field); }};
}

}  // namespace

void add_panel_defaults_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  using pd = panel_defaults_settings;
  auto pds = &settings::panel_defaults;
  k.push_back(duration_key("panel_defaults", "connect_timeout", "connect timeout of panel calls",
                           pds, &pd::connect_timeout, 10ms));
  k.push_back(duration_key("panel_defaults", "call_timeout",
                           "deadline of one panel HTTP call (also per read)", pds,
                           &pd::call_timeout, 10ms));
  k.push_back(uint_key("panel_defaults", "max_in_flight", "panel operations running at once", pds,
                       &pd::max_in_flight, 1, 1000));
  k.push_back(uint_key("panel_defaults", "max_queue",
                       "panel operations allowed to wait; more are refused at once", pds,
                       &pd::max_queue, 0, 1000000));
  k.push_back(uint_key("panel_defaults", "max_attempts",
                       "attempts per idempotent panel operation (first included)", pds,
                       &pd::max_attempts, 1, 20));
  k.push_back(duration_key("panel_defaults", "retry_backoff_min", "first delay before a retry", pds,
                           &pd::retry_backoff_min, 1ms));
  k.push_back(duration_key("panel_defaults", "retry_backoff_max", "largest delay before a retry",
                           pds, &pd::retry_backoff_max, 1ms));
  k.push_back(duration_key("panel_defaults", "retry_budget_window",
                           "window over which retries are counted", pds, &pd::retry_budget_window,
                           10ms));
  k.push_back(uint_key("panel_defaults", "retry_budget_percent",
                       "retries allowed as a share of first attempts", pds,
                       &pd::retry_budget_percent, 0, 1000));
  k.push_back(uint_key("panel_defaults", "retry_budget_min",
                       "retries allowed in the window whatever the traffic", pds,
                       &pd::retry_budget_min, 0, 1000000));
  k.push_back(uint_key("panel_defaults", "breaker_failures",
                       "failures in a row that open the circuit (0: off)", pds,
                       &pd::breaker_failures, 0, 1000));
  k.push_back(uint_key("panel_defaults", "breaker_failure_rate",
                       "failure percentage over the window that opens the circuit (0: off)", pds,
                       &pd::breaker_failure_rate, 0, 100));
  k.push_back(uint_key("panel_defaults", "breaker_minimum_calls",
                       "calls in the window before the failure rate counts", pds,
                       &pd::breaker_minimum_calls, 1, 1000000));
  k.push_back(duration_key("panel_defaults", "breaker_window",
                           "window of the breaker's failure rate", pds, &pd::breaker_window, 10ms));
  k.push_back(duration_key("panel_defaults", "breaker_open_for",
                           "how long an open circuit refuses calls before one probe", pds,
                           &pd::breaker_open_for, 1ms));
  k.push_back(duration_key("panel_defaults", "job_retry_min",
                           "first wait of a failed activation job (doubling, at most 10m)", pds,
                           &pd::job_retry_min, 1ms));
  k.push_back(uint_key("panel_defaults", "job_max_attempts",
                       "attempts of an activation job before it is dead", pds,
                       &pd::job_max_attempts, 1, 1000));
  k.push_back(duration_key("panel_defaults", "job_lease",
                           "how long a node holds an activation job before another may take it",
                           pds, &pd::job_lease, 1s));
  k.push_back(duration_key("panel_defaults", "job_scan_interval",
                           "how often the activation worker looks for due jobs nobody announced",
                           pds, &pd::job_scan_interval, 10ms));
}

const std::vector<panel_key>& panel_schema() {
  static const std::vector<panel_key> keys = [] {
    std::vector<panel_key> k;
    k.push_back(panel_string("name", "the panel's name in logs and metrics ([a-z0-9_-])",
                             &panel_settings::name));
    k.push_back(
        panel_string("kind", "the panel: 3x-ui (the default) or remnawave", &panel_settings::kind));
    k.push_back(panel_string("base_url",
                             "origin and webBasePath, e.g. https://host:2053/secret/ "
                             "(remnawave: the panel's origin, e.g. https://panel.example.com/)",
                             &panel_settings::base_url));
    k.push_back(panel_string("username", "login name", &panel_settings::username));
    k.push_back(panel_string("password", "login password", &panel_settings::password));
    k.push_back(panel_string("api_token",
                             "v3.0+ API token, used instead of the login (remnawave: required)",
                             &panel_settings::api_token));
    k.push_back(panel_string("totp_secret",
                             "base32 two-factor secret; the login sends its current code",
                             &panel_settings::totp_secret));
    k.push_back({"inbound_id", "the inbound new clients are added to",
                 [](panel_settings& p, const std::string& v) -> std::optional<std::string> {
                   auto n = parse_uint(v);
                   if (!n || *n < 1 || *n > 1000000000) return "expected a positive inbound id";
                   p.inbound_id = static_cast<int64_t>(*n);
                   return std::nullopt;
                 },
                 [](const panel_settings& p) { return std::to_string(p.inbound_id); }, false});
    k.push_back(
        {"verify_tls", "verify the panel's certificate (false for self-signed panels)",
         [](panel_settings& p, const std::string& v) -> std::optional<std::string> {
           if (v != "true" && v != "false" && v != "1" && v != "0") return "expected true or false";
           p.verify_tls = v == "true" || v == "1";
           return std::nullopt;
         },
         [](const panel_settings& p) { return std::string(p.verify_tls ? "true" : "false"); },
         false});
    k.push_back(panel_string(
        "version",
        "client API: auto (probed at login), legacy, 3.1, or the 3x-ui version such as 2.8.5",
        &panel_settings::version));
    k.push_back(panel_duration("connect_timeout", "connect timeout (default panel_defaults)",
                               &panel_settings::connect_timeout));
    k.push_back(panel_duration("call_timeout", "call deadline (default panel_defaults)",
                               &panel_settings::call_timeout));
    k.push_back(panel_string("public_host",
                             "host written into share links (default: the host of base_url)",
                             &panel_settings::public_host));
    k.push_back(panel_string("sub_base",
                             "the panel's subscription URI, e.g. https://host:2096/sub/",
                             &panel_settings::sub_base));
    k.push_back(panel_string("squads",
                             "remnawave: internal squad UUIDs new users join, comma-separated",
                             &panel_settings::squads));
    return k;
  }();
  return keys;
}

const panel_key* find_panel_key(const std::string& key) {
  for (const auto& k : panel_schema())
    if (k.key == key) return &k;
  return nullptr;
}

}  // namespace vpnbot::config
