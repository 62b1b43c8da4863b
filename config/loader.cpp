#include "config/loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <functional>
#include <sstream>

#include "adapters/crypto/digest.hpp"
#include "adapters/crypto/totp.hpp"
#include "adapters/panel/xui_protocol.hpp"
#include "config/secret_name.hpp"

extern char** environ;

namespace vpnbot::config {
namespace {

using parse_fn = std::function<std::optional<std::string>(settings&, const std::string&)>;
using print_fn = std::function<std::string(const settings&)>;

struct key_spec {
  std::string section;
  std::string key;
  std::string description;
  parse_fn parse;  // returns an error text ("expected ...") on failure
  print_fn print;
  bool quoted = true;  // printed as a TOML string
};

std::string env_name(const key_spec& k) {
  std::string out = "VPNBOT_" + k.section + "_" + k.key;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::optional<uint64_t> parse_uint(const std::string& text) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<duration> parse_duration(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  auto number = parse_uint(text.substr(0, i));
  if (!number) return std::nullopt;
  auto unit = text.substr(i);
  if (unit == "ms") return duration(*number);
  if (unit == "s") return std::chrono::seconds(*number);
  if (unit == "m" || unit == "min") return std::chrono::minutes(*number);
  if (unit == "h") return std::chrono::hours(*number);
  if (unit == "d") return std::chrono::hours(24 * *number);
  return std::nullopt;
}

// "a, b,,c" -> {"a", "b", "c"}: items without spaces, empty ones dropped.
std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(
        std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
        item.end());
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string print_duration(duration d) {
  auto ms = d.count();
  if (ms % 3600000 == 0 && ms != 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0 && ms != 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

template <class Section>
key_spec string_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                    std::string Section::*field) {
  return {section, key, desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            (s.*sec).*field = v;
            return std::nullopt;
          },
          [=](const settings& s) { return (s.*sec).*field; }};
}

template <class Section, class Int>
key_spec uint_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                  Int Section::*field, uint64_t min, uint64_t max) {
  return {section,
          key,
          desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            auto n = parse_uint(v);
            if (!n || *n < min || *n > max)
              return "expected a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max);
            (s.*sec).*field = static_cast<Int>(*n);
            return std::nullopt;
          },
          [=](const settings& s) { return std::to_string((s.*sec).*field); },
          false};
}

template <class Section>
key_spec duration_key(std::string section, std::string key, std::string desc,
                      Section settings::*sec, duration Section::*field, duration min) {
  return {section, key, desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            auto d = parse_duration(v);
            if (!d || *d < min)
              return "expected a duration such as \"500ms\", \"10s\", \"5m\", \"1h\" (at least " +
                     print_duration(min) + ")";
            (s.*sec).*field = *d;
            return std::nullopt;
          },
          [=](const settings& s) { return print_duration((s.*sec).*field); }};
}

template <class Section>
key_spec bool_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                  bool Section::*field) {
  return {section,
          key,
          desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            if (v == "true" || v == "1")
              (s.*sec).*field = true;
            else if (v == "false" || v == "0")
              (s.*sec).*field = false;
            else
              return "expected true or false";
            return std::nullopt;
          },
          [=](const settings& s) { return std::string((s.*sec).*field ? "true" : "false"); },
          false};
}

const std::vector<key_spec>& schema() {
  using namespace std::chrono_literals;
  static const std::vector<key_spec> keys = [] {
    std::vector<key_spec> k;
    k.push_back(string_key("service", "node_name", "name of this node in logs and the cluster",
                           &settings::service, &service_settings::node_name));
    k.push_back(string_key("service", "data_dir", "directory for local state (embedded database)",
                           &settings::service, &service_settings::data_dir));
    k.push_back(duration_key("service", "shutdown_timeout",
                             "upper bound for a graceful stop on SIGINT/SIGTERM",
                             &settings::service, &service_settings::shutdown_timeout, 100ms));
    k.push_back(uint_key("service", "scheduler_threads", "CAF worker threads (0: one per core)",
                         &settings::service, &service_settings::scheduler_threads, 0, 256));
    k.push_back({"log", "level", "debug, info, warn or error",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   auto l = parse_level(v);
                   if (!l) return "expected one of debug, info, warn, error";
                   s.log.level = *l;
                   return std::nullopt;
                 },
                 [](const settings& s) { return std::string(to_string(s.log.level)); }});
    k.push_back({"http", "listen", "address of the HTTP server (host:port; port 0 picks one)",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   auto colon = v.rfind(':');
                   if (colon == std::string::npos || colon == 0)
                     return "expected host:port, e.g. 127.0.0.1:8080";
                   auto port = parse_uint(v.substr(colon + 1));
                   if (!port || *port > 65535) return "expected a port from 0 to 65535";
                   auto host = v.substr(0, colon);
                   if (host.size() > 2 && host.front() == '[' && host.back() == ']')
                     host = host.substr(1, host.size() - 2);
                   s.http.listen_host = host;
                   s.http.listen_port = static_cast<uint16_t>(*port);
                   return std::nullopt;
                 },
                 [](const settings& s) {
                   auto host = s.http.listen_host;
                   if (host.find(':') != std::string::npos) host = "[" + host + "]";
                   return host + ":" + std::to_string(s.http.listen_port);
                 }});
    k.push_back(uint_key("http", "body_limit", "largest accepted request body in bytes",
                         &settings::http, &http_settings::body_limit, 1024, 64u << 20));
    k.push_back(duration_key("http", "header_timeout", "time to receive a complete request",
                             &settings::http, &http_settings::header_timeout, 100ms));
    k.push_back(duration_key("http", "idle_timeout", "keep-alive connections idle this long close",
                             &settings::http, &http_settings::idle_timeout, 100ms));
    k.push_back(uint_key("http", "max_connections",
                         "concurrent connections beyond which new ones "
                         "are refused with 503",
                         &settings::http, &http_settings::max_connections, 1, 100000));
    k.push_back(uint_key("http", "threads", "I/O threads of the HTTP server", &settings::http,
                         &http_settings::threads, 1, 64));
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
    k.push_back(uint_key("supervision", "max_restarts", "restarts allowed within the window",
                         &settings::supervision, &supervision_settings::max_restarts, 0, 1000));
    k.push_back(duration_key("supervision", "within", "window of the restart intensity",
                             &settings::supervision, &supervision_settings::within, 1ms));
    k.push_back(duration_key("supervision", "backoff_min", "first restart delay",
                             &settings::supervision, &supervision_settings::backoff_min, 0ms));
    k.push_back(duration_key("supervision", "backoff_max", "largest restart delay",
                             &settings::supervision, &supervision_settings::backoff_max, 0ms));
    k.push_back(duration_key("supervision", "backoff_reset",
                             "a child quiet this long starts its backoff afresh",
                             &settings::supervision, &supervision_settings::backoff_reset, 1ms));
    k.push_back(duration_key(
        "supervision", "child_shutdown_timeout", "time a child gets to stop before it is killed",
        &settings::supervision, &supervision_settings::child_shutdown_timeout, 1ms));
    k.push_back({"database", "url",
                 "postgresql:// URI; empty starts a private PostgreSQL under service.data_dir",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   if (!v.empty() && v.rfind("postgresql://", 0) != 0 &&
                       v.rfind("postgres://", 0) != 0)
                     return "expected a postgresql:// URI or nothing";
                   s.database.url = v;
                   return std::nullopt;
                 },
                 [](const settings& s) { return s.database.url; }});
    k.push_back(uint_key("database", "pool_size", "database connections (one actor each)",
                         &settings::database, &database_settings::pool_size, 1, 64));
    k.push_back(duration_key("database", "statement_timeout", "server-side limit per statement",
                             &settings::database, &database_settings::statement_timeout, 10ms));
    k.push_back(duration_key("database", "connect_timeout", "limit for opening a connection",
                             &settings::database, &database_settings::connect_timeout, 1000ms));
    k.push_back(duration_key("database", "request_timeout",
                             "limit for one database call, queue wait included",
                             &settings::database, &database_settings::request_timeout, 10ms));
    k.push_back(uint_key("database", "max_queue",
                         "database calls allowed to wait; more are refused at once",
                         &settings::database, &database_settings::max_queue, 1, 1000000));
    k.push_back(string_key("database", "embedded_dir",
                           "cluster directory of the embedded server "
                           "(default <data_dir>/pg)",
                           &settings::database, &database_settings::embedded_dir));
    k.push_back(string_key("database", "embedded_bin_dir", "PostgreSQL 15 server binaries",
                           &settings::database, &database_settings::embedded_bin_dir));
    k.push_back(string_key("database", "embedded_user",
                           "system user the embedded server runs as when vpnbot runs as root",
                           &settings::database, &database_settings::embedded_user));
    k.push_back(string_key("telegram", "token", "bot token from @BotFather", &settings::telegram,
                           &telegram_settings::token));
    k.push_back(string_key("telegram", "api_base", "Bot API base URL", &settings::telegram,
                           &telegram_settings::api_base));
    k.push_back({"telegram", "mode", "polling or webhook",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   if (v != "polling" && v != "webhook") return "expected polling or webhook";
                   s.telegram.mode = v;
                   return std::nullopt;
                 },
                 [](const settings& s) { return s.telegram.mode; }});
    k.push_back(string_key("telegram", "webhook_url", "public URL Telegram posts updates to",
                           &settings::telegram, &telegram_settings::webhook_url));
    k.push_back(string_key("telegram", "webhook_secret",
                           "X-Telegram-Bot-Api-Secret-Token value (1-256 of A-Z a-z 0-9 _ -)",
                           &settings::telegram, &telegram_settings::webhook_secret));
    k.push_back(duration_key("telegram", "poll_timeout", "how long one getUpdates long poll waits",
                             &settings::telegram, &telegram_settings::poll_timeout, 0ms));
    k.push_back(duration_key("telegram", "conflict_backoff",
                             "pause after Telegram reports another poller or a webhook (409)",
                             &settings::telegram, &telegram_settings::conflict_backoff, 10ms));
    k.push_back(uint_key("telegram", "global_rate", "messages per second across all chats",
                         &settings::telegram, &telegram_settings::global_rate, 1, 10000));
    k.push_back(uint_key("telegram", "chat_rate", "messages per second to one chat",
                         &settings::telegram, &telegram_settings::chat_rate, 1, 1000));
    k.push_back(uint_key("telegram", "chat_burst", "messages one chat may get at once",
                         &settings::telegram, &telegram_settings::chat_burst, 1, 1000));
    k.push_back(duration_key("telegram", "session_idle_timeout",
                             "a user's session actor idle this long is passivated",
                             &settings::telegram, &telegram_settings::session_idle_timeout, 10ms));
    k.push_back(uint_key("telegram", "flood_limit",
                         "updates one user may send within flood_window; more get one warning",
                         &settings::telegram, &telegram_settings::flood_limit, 1, 100000));
    k.push_back(duration_key("telegram", "flood_window", "window of the per-user flood limit",
                             &settings::telegram, &telegram_settings::flood_window, 1000ms));
    k.push_back({"bot", "admin_ids", "Telegram user ids of the admins, comma-separated",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   std::vector<int64_t> ids;
                   for (const auto& item : comma_list(v)) {
                     auto id = parse_uint(item);
                     if (!id || *id == 0 || *id > uint64_t(INT64_MAX))
                       return "expected positive user ids separated by commas";
                     ids.push_back(static_cast<int64_t>(*id));
                   }
                   s.bot.admin_ids = ids;
                   return std::nullopt;
                 },
                 [](const settings& s) {
                   std::string out;
                   for (auto id : s.bot.admin_ids)
                     out += (out.empty() ? "" : ",") + std::to_string(id);
                   return out;
                 }});
    k.push_back(string_key("bot", "support", "support contact shown in Help (@username or URL)",
                           &settings::bot, &bot_settings::support));
    k.push_back({"bot", "plans",
                 "plans on sale: code:days:CUR=minor,... entries separated by ';' (one may be "
                 "code:days:trial)",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   if (auto e = parse_plan_catalog(v, s.bot.plans)) return "expected " + *e;
                   return std::nullopt;
                 },
                 [](const settings& s) { return print_plan_catalog(s.bot.plans); }});
    k.push_back({"bot", "payment_methods",
                 "payment methods offered, comma-separated: stars, cryptobot, yookassa, robokassa",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   static const std::vector<std::string> known = {"stars", "cryptobot", "yookassa",
                                                                  "robokassa"};
                   std::vector<std::string> methods;
                   for (const auto& item : comma_list(v)) {
                     if (std::find(known.begin(), known.end(), item) == known.end())
                       return "expected some of stars, cryptobot, yookassa, robokassa";
                     methods.push_back(item);
                   }
                   s.bot.payment_methods = methods;
                   return std::nullopt;
                 },
                 [](const settings& s) {
                   std::string out;
                   for (const auto& m : s.bot.payment_methods) out += (out.empty() ? "" : ",") + m;
                   return out;
                 }});
    k.push_back({"bot", "currency", "balance currency and the fiat price shown (ISO 4217)",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   if (v.size() != 3 || !std::all_of(v.begin(), v.end(), [](unsigned char c) {
                         return std::isupper(c);
                       }))
                     return "expected a currency code such as RUB";
                   s.bot.currency = v;
                   return std::nullopt;
                 },
                 [](const settings& s) { return s.bot.currency; }});
    k.push_back(uint_key("bot", "referral_bonus",
                         "balance credit (minor units) for each invited friend's first payment",
                         &settings::bot, &bot_settings::referral_bonus, 0, 100000000));
    k.push_back(duration_key("bot", "payment_ttl",
                             "an unpaid order (and its provider invoice) expires after this",
                             &settings::bot, &bot_settings::payment_ttl, 60000ms));
    k.push_back(duration_key("workers", "interval", "pause between iterations of each worker",
                             &settings::workers, &workers_settings::interval, 10ms));
    k.push_back(uint_key("workers", "batch", "rows one worker iteration handles at most",
                         &settings::workers, &workers_settings::batch, 1, 100000));
    k.push_back(duration_key("workers", "traffic_interval",
                             "how often the panels' traffic counters are read for My "
                             "subscriptions",
                             &settings::workers, &workers_settings::traffic_interval, 10ms));
    k.push_back(duration_key("workers", "budget",
                             "time one worker iteration may take; longer fails it (and the "
                             "supervisor restarts the worker)",
                             &settings::workers, &workers_settings::budget, 10ms));
    k.push_back({"workers", "reminder_offsets",
                 "reminders before a paid subscription ends, e.g. \"3d,1d\"",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   std::vector<duration> offsets;
                   for (const auto& item : comma_list(v)) {
                     auto d = parse_duration(item);
                     if (!d || d->count() <= 0) return "expected durations such as \"3d,1d\"";
                     offsets.push_back(*d);
                   }
                   s.workers.reminder_offsets = offsets;
                   return std::nullopt;
                 },
                 [](const settings& s) {
                   std::string out;
                   for (auto d : s.workers.reminder_offsets)
                     out += (out.empty() ? "" : ",") + print_duration(d);
                   return out;
                 }});
    k.push_back(duration_key("workers", "trial_notice_before",
                             "how long before its end a trial gets its notice", &settings::workers,
                             &workers_settings::trial_notice_before, 1000ms));
    k.push_back(duration_key("workers", "renewal_window",
                             "auto-renewal from the balance starts this long before the end",
                             &settings::workers, &workers_settings::renewal_window, 1000ms));
    k.push_back(
        duration_key("workers", "retention",
                     "an expired subscription's client is removed from the panel after this",
                     &settings::workers, &workers_settings::retention, 1000ms));
    using pd = panel_defaults_settings;
    auto pds = &settings::panel_defaults;
    k.push_back(duration_key("workers", "reconcile_interval",
                             "how often each panel is reconciled with the database",
                             &settings::workers, &workers_settings::reconcile_interval, 10ms));
    k.push_back(duration_key("workers", "reconcile_grace",
                             "how long a client nothing sold is quarantined before removal",
                             &settings::workers, &workers_settings::reconcile_grace, 0ms));
    k.push_back(bool_key("workers", "reconcile_dry_run",
                         "reconcile logs its plan and changes nothing", &settings::workers,
                         &workers_settings::reconcile_dry_run));
    k.push_back(duration_key("workers", "keep_history",
                             "how long handled updates and finished outbox rows are kept",
                             &settings::workers, &workers_settings::keep_history, 1s));
    k.push_back(duration_key("workers", "session_ttl",
                             "idle conversations older than this start again at the menu",
                             &settings::workers, &workers_settings::session_ttl, 1s));
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
    k.push_back(duration_key("panel_defaults", "retry_backoff_min", "first delay before a retry",
                             pds, &pd::retry_backoff_min, 1ms));
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
                             "window of the breaker's failure rate", pds, &pd::breaker_window,
                             10ms));
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
    k.push_back(duration_key("payments", "issue_interval",
                             "how often payments still without an invoice are looked for",
                             &settings::payments, &payments_settings::issue_interval, 10ms));
    k.push_back(duration_key("payments", "watch_interval",
                             "how often pending invoices are checked with their provider",
                             &settings::payments, &payments_settings::watch_interval, 10ms));
    k.push_back(duration_key("payments", "watch_after",
                             "invoice age before the watcher asks its provider",
                             &settings::payments, &payments_settings::watch_after, 0ms));
    k.push_back(duration_key("payments", "call_timeout", "deadline of one payment provider call",
                             &settings::payments, &payments_settings::call_timeout, 100ms));
    k.push_back(duration_key("payments", "replay_interval",
                             "first wait before a notification cut short is replayed (doubling)",
                             &settings::payments, &payments_settings::replay_interval, 10ms));
    k.push_back(uint_key("payments", "replay_attempts",
                         "replays of one notification before it is dead", &settings::payments,
                         &payments_settings::replay_attempts, 1, 1000));
    k.push_back(string_key("cryptobot", "api_base", "Crypto Pay API base URL", &settings::cryptobot,
                           &cryptobot_settings::api_base));
    k.push_back(string_key("cryptobot", "token", "Crypto Pay app token (enables CryptoBot)",
                           &settings::cryptobot, &cryptobot_settings::token));
    k.push_back(string_key("cryptobot", "assets", "accepted assets, comma-separated; empty: all",
                           &settings::cryptobot, &cryptobot_settings::assets));
    k.push_back(string_key("yookassa", "api_base", "YooKassa API base URL", &settings::yookassa,
                           &yookassa_settings::api_base));
    k.push_back(string_key("yookassa", "shop_id", "shop id (with secret_key enables YooKassa)",
                           &settings::yookassa, &yookassa_settings::shop_id));
    k.push_back(string_key("yookassa", "secret_key", "secret key of the shop", &settings::yookassa,
                           &yookassa_settings::secret_key));
    k.push_back(string_key("yookassa", "return_url", "where the payer returns after paying",
                           &settings::yookassa, &yookassa_settings::return_url));
    k.push_back(bool_key("yookassa", "check_source_ip",
                         "accept notifications only from YooKassa's published addresses",
                         &settings::yookassa, &yookassa_settings::check_source_ip));
    k.push_back(string_key("robokassa", "merchant_login",
                           "shop identifier (with both passwords enables Robokassa)",
                           &settings::robokassa, &robokassa_settings::merchant_login));
    k.push_back(string_key("robokassa", "password1", "password #1: signs payment links",
                           &settings::robokassa, &robokassa_settings::password1));
    k.push_back(string_key("robokassa", "password2", "password #2: checks ResultURL calls",
                           &settings::robokassa, &robokassa_settings::password2));
    k.push_back({"robokassa", "algorithm", "signature hash: md5, sha1, sha256, sha384 or sha512",
                 [](settings& s, const std::string& v) -> std::optional<std::string> {
                   if (!crypto::parse_hash_algorithm(v))
                     return "expected md5, sha1, sha256, sha384 or sha512";
                   s.robokassa.algorithm = v;
                   return std::nullopt;
                 },
                 [](const settings& s) { return s.robokassa.algorithm; }});
    k.push_back(bool_key("robokassa", "test", "test mode (IsTest=1, the shop's test passwords)",
                         &settings::robokassa, &robokassa_settings::test));
    k.push_back(string_key("robokassa", "payment_page", "Robokassa payment page URL",
                           &settings::robokassa, &robokassa_settings::payment_page));
    return k;
  }();
  return keys;
}

const key_spec* find_key(const std::string& section, const std::string& key) {
  for (const auto& k : schema())
    if (k.section == section && k.key == key) return &k;
  return nullptr;
}

// The keys of one [[panels]] entry. Panels are a list, so they have their
// own small schema; environment variables reach a panel named in the file
// as VPNBOT_PANEL_<NAME>_<KEY>.
struct panel_key {
  std::string key;
  std::string description;
  std::function<std::optional<std::string>(panel_settings&, const std::string&)> parse;
  std::function<std::string(const panel_settings&)> print;
  bool quoted = true;
};

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

const std::vector<panel_key>& panel_schema() {
  static const std::vector<panel_key> keys = [] {
    std::vector<panel_key> k;
    k.push_back(panel_string("name", "the panel's name in logs and metrics ([a-z0-9_-])",
                             &panel_settings::name));
    k.push_back(panel_string("base_url", "origin and webBasePath, e.g. https://host:2053/secret/",
                             &panel_settings::base_url));
    k.push_back(panel_string("username", "login name", &panel_settings::username));
    k.push_back(panel_string("password", "login password", &panel_settings::password));
    k.push_back(panel_string("api_token", "v3.0+ API token, used instead of the login",
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
    k.push_back(panel_string("version", "3x-ui version such as 2.8.5; empty: unknown",
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
    return k;
  }();
  return keys;
}

const panel_key* find_panel_key(const std::string& key) {
  for (const auto& k : panel_schema())
    if (k.key == key) return &k;
  return nullptr;
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

void cross_checks(load_result& r) {
  auto& s = r.value;
  if (s.supervision.backoff_max < s.supervision.backoff_min)
    r.errors.push_back("supervision.backoff_max: expected at least supervision.backoff_min");
  if (s.http_client.total_timeout < s.http_client.connect_timeout)
    r.errors.push_back("http_client.total_timeout: expected at least http_client.connect_timeout");
  if (s.telegram.mode == "webhook") {
    if (s.telegram.webhook_url.empty())
      r.errors.push_back("telegram.webhook_url: expected a URL when telegram.mode is webhook");
    if (s.telegram.webhook_secret.empty())
      r.errors.push_back(
          "telegram.webhook_secret: expected a secret when telegram.mode is webhook");
  }
  const auto& secret = s.telegram.webhook_secret;
  if (secret.size() > 256 || !std::all_of(secret.begin(), secret.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
      }))
    r.errors.push_back("telegram.webhook_secret: expected 1-256 characters of A-Z a-z 0-9 _ -");
  if (s.database.embedded_dir.empty()) s.database.embedded_dir = s.service.data_dir + "/pg";
  // Only configured providers are offered; Stars need nothing but the bot.
  std::erase_if(s.bot.payment_methods, [&](const std::string& m) {
    return (m == "cryptobot" && !s.cryptobot.enabled()) ||
           (m == "yookassa" && !s.yookassa.enabled()) ||
           (m == "robokassa" && !s.robokassa.enabled());
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
    if (!panel::parse_endpoint(p.base_url))
      r.errors.push_back(where + ".base_url: expected an http(s) URL with the webBasePath");
    if (!p.totp_secret.empty() && !crypto::base32_decode(p.totp_secret))
      r.errors.push_back(where + ".totp_secret: expected the base32 secret the panel shows");
    if (p.api_token.empty() && (p.username.empty() || p.password.empty()))
      r.errors.push_back(where + ".password: expected username and password (or api_token)");
    auto version = p.version.empty() ? std::nullopt : panel::parse_xui_version(p.version);
    if (!p.version.empty() && !version)
      r.errors.push_back(where + ".version: expected a version such as 2.8.5 or nothing");
    // 3.1 replaced the client endpoints (/panel/api/clients/*), which vpnbot
    // does not speak yet: refused here rather than failing call by call.
    if (version && *version >= panel::xui_version{3, 1, 0})
      r.errors.push_back(where +
                         ".version: 3x-ui 3.1 and later is not supported yet (its "
                         "/panel/api/clients API); use a 2.x or 3.0.x panel");
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

load_result load(const std::optional<std::string>& file, const env_map& env) {
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
          if (auto err = spec->parse(r.value, *text))
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
    if (auto err = match->parse(r.value, text))
      r.errors.push_back(match->section + "." + match->key + " (from " + name + "): " + *err);
  }
  cross_checks(r);
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
    if (k.key == "url" && k.section == "database") {
      // The password inside a URI is a secret too.
      auto at = value.find('@');
      auto colon = value.find(':', value.find("://") + 3);
      if (at != std::string::npos && colon != std::string::npos && colon < at)
        value = value.substr(0, colon + 1) + "***" + value.substr(at);
    }
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
