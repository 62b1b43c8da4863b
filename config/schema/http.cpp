// The [http] server and [http_client] keys.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {
void add_http_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(
      {"http", "listen", "address of the HTTP server (host:port; port 0 picks one)",
       [](settings& s, const std::string& v) -> std::optional<std::string> {
         return parse_host_port(v, s.http.listen_host, s.http.listen_port);
       },
       [](const settings& s) { return print_host_port(s.http.listen_host, s.http.listen_port); }});
  k.push_back(optional_host_port_key(
      "http", "metrics_listen",
      "address of a listener serving only /metrics (host:port); empty: /metrics is on the main "
      "listener",
      &settings::http, &http_settings::metrics_listen_host, &http_settings::metrics_listen_port));
  k.push_back(uint_key("http", "body_limit", "largest accepted request body in bytes",
                       &settings::http, &http_settings::body_limit, 1024, 64u << 20));
  k.push_back(uint_key("http", "webhook_body_limit",
                       "largest accepted body in bytes on the webhook routes (/pay/*, "
                       "/telegram/webhook); refused once announced or exceeded",
                       &settings::http, &http_settings::webhook_body_limit, 1024, 64u << 20));
  k.push_back(duration_key("http", "header_timeout", "time to receive a complete request",
                           &settings::http, &http_settings::header_timeout, 100ms));
  k.push_back(duration_key("http", "idle_timeout", "keep-alive connections idle this long close",
                           &settings::http, &http_settings::idle_timeout, 100ms));
  k.push_back(uint_key("http", "max_connections",
                       "open connections: above 90 % idle keep-alive ones are closed for new "
                       "clients, at the limit new ones are refused with 503",
                       &settings::http, &http_settings::max_connections, 1, 100000));
  k.push_back(uint_key("http", "threads", "I/O threads of the HTTP server", &settings::http,
                       &http_settings::threads, 1, 64));
  // Whether each entry is a CIDR range is the HTTP adapter's to judge
  // (app/config_validators).
  k.push_back({"http", "trusted_proxies",
               "reverse proxies (CIDR ranges, comma-separated) whose X-Forwarded-For and "
               "X-Real-IP are believed; empty: the headers are ignored",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 s.http.trusted_proxies = comma_list(v);
                 return std::nullopt;
               },
               [](const settings& s) {
                 std::string out;
                 for (const auto& r : s.http.trusted_proxies) out += (out.empty() ? "" : ",") + r;
                 return out;
               }});
  k.push_back(duration_key("http_client", "connect_timeout", "outbound connect timeout",
                           &settings::http_client, &http_client_settings::connect_timeout, 10ms));
  k.push_back(duration_key("http_client", "read_timeout", "outbound per-read timeout",
                           &settings::http_client, &http_client_settings::read_timeout, 10ms));
  k.push_back(duration_key("http_client", "total_timeout", "outbound whole-call deadline",
                           &settings::http_client, &http_client_settings::total_timeout, 10ms));
  k.push_back(bool_key("http_client", "verify_tls", "verify TLS certificates of outbound calls",
                       &settings::http_client, &http_client_settings::verify_tls));
  k.push_back(string_key("http_client", "ca_file", "extra CA bundle (PEM) for outbound TLS",
                         &settings::http_client, &http_client_settings::ca_file));
  k.push_back(uint_key("http_client", "threads", "I/O threads of the HTTP client",
                       &settings::http_client, &http_client_settings::threads, 1, 64));
  k.push_back(uint_key("http_client", "pool_size",
                       "idle keep-alive connections kept per origin (0: a connection per call)",
                       &settings::http_client, &http_client_settings::pool_size, 0, 1024));
  k.push_back(duration_key("http_client", "idle_timeout",
                           "idle keep-alive connections older than this are closed",
                           &settings::http_client, &http_client_settings::idle_timeout, 10ms));
  k.push_back(uint_key("http_client", "max_requests_per_connection",
                       "requests after which a keep-alive connection is closed",
                       &settings::http_client, &http_client_settings::max_requests_per_connection,
                       1, 1000000));
}

}  // namespace vpnbot::config
