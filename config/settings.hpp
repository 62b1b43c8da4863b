#pragma once

// The validated, typed configuration of one vpnbot process and its
// defaults. Every key's name, description and parsing is declared once under
// config/schema/ (a file per subsystem); this header is only the shape code
// reads.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/log_level.hpp"
#include "config/plan_catalog.hpp"

namespace vpnbot::config {

using duration = std::chrono::milliseconds;

struct service_settings {
  std::string node_name = "vpnbot-1";
  std::string data_dir = "./var";
  duration shutdown_timeout = std::chrono::seconds(15);
  unsigned scheduler_threads = 0;  // 0: one per core
  // CAF's scheduler: "sharing" (idle workers wait on one queue) or
  // "stealing" (idle workers poll, then sleep, then steal); sharing spent
  // about a third less CPU per update on two cores (docs/BENCHMARKS.md).
  std::string scheduler_policy = "sharing";
};

struct log_settings {
  log_level level = log_level::info;
};

struct http_settings {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  std::size_t body_limit = 1 << 20;
  std::size_t webhook_body_limit = 64 << 10;  // the registered routes': webhooks
  duration header_timeout = std::chrono::seconds(10);
  duration idle_timeout = std::chrono::seconds(60);
  std::size_t max_connections = 1024;
  unsigned threads = 1;
  // Reverse proxies (CIDR ranges) whose X-Forwarded-For / X-Real-IP is
  // believed; from any other peer those headers are ignored.
  std::vector<std::string> trusted_proxies;
  // A listener of its own for /metrics (then not served on the main one);
  // an empty host: /metrics is on the main listener.
  std::string metrics_listen_host;
  uint16_t metrics_listen_port = 0;
};

struct http_client_settings {
  duration connect_timeout = std::chrono::seconds(5);
  duration read_timeout = std::chrono::seconds(15);
  duration total_timeout = std::chrono::seconds(30);
  bool verify_tls = true;
  std::string ca_file;  // empty: the system trust store
  unsigned threads = 1;
  unsigned pool_size = 64;  // idle keep-alive connections kept per origin; 0: one per call
  duration idle_timeout = std::chrono::seconds(30);  // idle longer: closed, not reused
  unsigned max_requests_per_connection = 1000;
};

struct supervision_settings {
  unsigned max_restarts = 5;
  duration within = std::chrono::seconds(10);
  duration backoff_min = std::chrono::milliseconds(100);
  duration backoff_max = std::chrono::seconds(10);
  duration backoff_reset = std::chrono::seconds(30);
  duration child_shutdown_timeout = std::chrono::seconds(5);
};

struct database_settings {
  std::string url;  // empty: start the embedded PostgreSQL under data_dir
  unsigned pool_size = 4;
  duration statement_timeout = std::chrono::seconds(5);
  duration connect_timeout = std::chrono::seconds(5);
  duration request_timeout = std::chrono::seconds(10);  // queue wait + run, per call
  unsigned max_queue = 1000;                            // calls waiting beyond this are refused
  unsigned group_commit = 64;  // calls waiting together share one transaction, up to this many
  // While a call runs, a new one waits up to this long for others to join
  // its group (0: never); a call arriving at an idle pool goes at once.
  duration group_wait = std::chrono::milliseconds(1);
  std::string embedded_dir;  // empty: <data_dir>/pg
  std::string embedded_bin_dir = "/usr/lib/postgresql/15/bin";
  std::string embedded_user = "vpnbot";  // system user the embedded server runs as under root
};

struct telegram_settings {
  std::string token;
  std::string api_base = "https://api.telegram.org";
  std::string mode = "polling";  // polling | webhook
  std::string webhook_url;
  std::string webhook_secret;
  duration poll_timeout = std::chrono::seconds(30);      // getUpdates long poll
  duration conflict_backoff = std::chrono::seconds(30);  // wait after a 409 before polling again
  unsigned global_rate = 30;                             // messages per second, all chats
  // A paid broadcast's messages (allow_paid_broadcast) per second, apart from
  // global_rate; Telegram charges 0.1 Star per message above the free 30/s.
  unsigned paid_broadcast_rate = 1000;
  unsigned chat_rate = 1;  // messages per second to one chat
  unsigned chat_burst = 3;
  // Calls the outbox has released and not yet had answered (being marked,
  // waiting for a bucket, on the wire). At or below http_client.pool_size,
  // every call goes out on a kept-alive connection instead of a new one.
  unsigned max_in_flight = 64;
  // No send limits at all: for a local Bot API emulator (benchmarks, the
  // sandbox); refused unless api_base is a loopback address.
  bool unlimited_rates = false;
  duration session_idle_timeout = std::chrono::minutes(10);
  // How often a broadcast's progress message in the admin's chat is edited
  // while the numbers change (and once more when it ends).
  duration broadcast_progress_interval = std::chrono::seconds(5);
  unsigned flood_limit = 20;  // updates per user within flood_window
  duration flood_window = std::chrono::minutes(1);
};

// What the bot offers and who runs it.
struct bot_settings {
  std::vector<int64_t> admin_ids;
  std::string support = "@support";
  std::vector<plan_setting> plans = default_plans();
  std::vector<std::string> payment_methods = {"stars", "cryptobot", "yookassa", "robokassa",
                                              "coingate"};
  std::string currency = "RUB";                  // balance currency and the fiat price shown
  uint64_t referral_bonus = 5000;                // minor units of `currency` per paying friend
  duration payment_ttl = std::chrono::hours(1);  // an unpaid order expires after this
};

// The background workers that run subscriptions for their whole life.
struct workers_settings {
  duration interval = std::chrono::minutes(1);  // between iterations of each worker
  unsigned batch = 200;                         // rows one iteration takes at most
  duration budget = std::chrono::seconds(30);   // one iteration's time; longer fails it
  std::vector<duration> reminder_offsets = {std::chrono::hours(72), std::chrono::hours(24)};
  duration trial_notice_before = std::chrono::hours(24);
  duration renewal_window = std::chrono::hours(24);
  duration retention = std::chrono::hours(24 * 30);
  duration reconcile_interval = std::chrono::hours(1);   // each panel against the database
  duration traffic_interval = std::chrono::minutes(10);  // panels' traffic counters read
  duration reconcile_grace = std::chrono::hours(6);      // an orphan's quarantine before removal
  bool reconcile_dry_run = false;                        // log the plan, change nothing
  duration keep_history = std::chrono::hours(24 * 7);    // handled updates, finished outbox rows
  duration session_ttl = std::chrono::hours(24 * 30);    // idle conversation state is reset
  duration keep_unverified_webhooks = std::chrono::hours(24 * 7);  // notifications failing checks
};

// Resilience and timeouts shared by every panel ([panel_defaults]).
struct panel_defaults_settings {
  duration connect_timeout = std::chrono::seconds(5);
  duration call_timeout = std::chrono::seconds(15);  // one HTTP call, also per read
  unsigned max_in_flight = 4;                        // operations running at once per panel
  unsigned max_queue = 100;   // operations waiting beyond that; more are refused
  unsigned max_attempts = 3;  // per idempotent operation, first attempt included
  duration retry_backoff_min = std::chrono::milliseconds(200);
  duration retry_backoff_max = std::chrono::seconds(5);
  duration retry_budget_window = std::chrono::seconds(10);
  unsigned retry_budget_percent = 20;
  unsigned retry_budget_min = 3;
  unsigned breaker_failures = 5;       // in a row; 0: not used
  unsigned breaker_failure_rate = 50;  // percent; 0: not used
  unsigned breaker_minimum_calls = 10;
  duration breaker_window = std::chrono::seconds(60);
  duration breaker_open_for = std::chrono::seconds(30);
  // Activation jobs that failed wait job_retry_min, then twice as long each
  // time (at most 10 minutes), and are dead after job_max_attempts.
  duration job_retry_min = std::chrono::seconds(5);
  unsigned job_max_attempts = 8;
  // A job leased by a node that died is taken again after this long; longer
  // than any panel call with its retries.
  duration job_lease = std::chrono::minutes(5);
  // Jobs are started when their transaction commits (a notification); this
  // scan is the safety net for a lost one and the clock of retries.
  duration job_scan_interval = std::chrono::seconds(1);
};

// One panel ([[panels]]): a 3x-ui panel, or a Remnawave panel (kind =
// "remnawave": base_url, api_token and squads; no login, no inbound).
struct panel_settings {
  std::string name;            // [a-z0-9_-], unique; the metrics label
  std::string kind = "3x-ui";  // "3x-ui" or "remnawave"
  std::string base_url;        // origin and webBasePath: "https://host:2053/secret/"
  std::string username;
  std::string password;
  std::string api_token;    // v3.0+: Bearer token instead of the login
  std::string totp_secret;  // base32: the panel's two-factor secret; empty: no 2FA
  int64_t inbound_id = 1;
  bool verify_tls = true;
  std::string version;          // auto (or empty): API probed at login; legacy; 3.1; or "2.8.5"
  duration connect_timeout{0};  // 0 in a file: panel_defaults.connect_timeout
  duration call_timeout{0};     // 0 in a file: panel_defaults.call_timeout
  std::string public_host;      // host in share links; empty: the host of base_url
  std::string sub_base;         // the panel's subURI ("https://host:2096/sub/"); empty: none
  std::string squads;           // remnawave: internal squad UUIDs new users join, comma-separated
};

// Payment providers: each is enabled by its credentials being set.
struct cryptobot_settings {
  std::string api_base = "https://pay.crypt.bot/api/";
  std::string token;   // from @CryptoBot → Crypto Pay → My Apps
  std::string assets;  // accepted assets, comma-separated; empty: all
  bool enabled() const { return !token.empty(); }
};

struct yookassa_settings {
  std::string api_base = "https://api.yookassa.ru/v3/";
  std::string shop_id;
  std::string secret_key;
  std::string return_url;       // where the payer returns; empty: https://t.me/<bot>
  bool check_source_ip = true;  // notifications only from YooKassa's published ranges
  bool enabled() const { return !shop_id.empty() && !secret_key.empty(); }
};

struct robokassa_settings {
  std::string merchant_login;
  std::string password1;  // signs payment links
  std::string password2;  // checks ResultURL callbacks
  std::string algorithm = "md5";
  bool test = false;  // IsTest=1 links; then the shop's test passwords go above
  std::string payment_page = "https://auth.robokassa.ru/Merchant/Index.aspx";
  // The XML interface the watcher asks about invoices (OpStateExt).
  std::string op_state_base = "https://auth.robokassa.ru/Merchant/WebService/Service.asmx";
  bool enabled() const {
    return !merchant_login.empty() && !password1.empty() && !password2.empty();
  }
};

struct coingate_settings {
  std::string api_base =
      "https://api.coingate.com/v2";  // sandbox: https://api-sandbox.coingate.com/v2
  std::string auth_token;
  std::string receive_currency = "DO_NOT_CONVERT";  // or a currency CoinGate settles in
  // Each order's callback token is an HMAC of its payment id under this.
  std::string callback_secret;
  std::string public_url;  // the service as CoinGate reaches it: <public_url>/pay/coingate
  std::string return_url;  // where the payer returns; empty: https://t.me/
  bool enabled() const { return !auth_token.empty(); }
};

// The invoice issuer and the watcher of invoices whose notification never came.
struct payments_settings {
  duration issue_interval = std::chrono::seconds(1);  // sweep for payments without an invoice
  duration watch_interval = std::chrono::minutes(1);
  duration watch_after = std::chrono::minutes(2);  // invoice age before the watcher asks
  // Expired and cancelled payments of the last late_lookup_days (0: none)
  // are asked about too, every late_lookup_interval: money that came late
  // without a notification is granted once.
  unsigned late_lookup_days = 3;
  duration late_lookup_interval = std::chrono::minutes(10);
  duration call_timeout = std::chrono::seconds(15);
  // Stored notifications whose processing was cut short are replayed: the
  // first after replay_interval, each later one after twice the wait before
  // (at most 1 h); after replay_attempts replays the event is `dead`.
  duration replay_interval = std::chrono::seconds(30);
  unsigned replay_attempts = 8;
  // Notifications failing their check, per source address and provider:
  // beyond this many a minute they are answered 429 and not stored.
  unsigned webhook_failures_per_minute = 20;
  // Operators' refund requests are made at the provider at once (woken at
  // their commit) and looked for every refund_interval; a failed call is
  // retried after refund_interval, then twice the wait (at most 10 min).
  duration refund_interval = std::chrono::seconds(10);
};

// The HTTP admin API (/api/v1/...): off while the token is empty.
struct api_settings {
  std::string token;  // the Bearer token every call must carry
  bool enabled() const { return !token.empty(); }
};

// Several nodes as one (docs/ARCHITECTURE.md, "Cluster"). Off while
// `listen` is empty: a single node, as before.
struct cluster_settings {
  std::string listen_host;  // this node's cluster address (host:port)
  uint16_t listen_port = 0;
  std::vector<std::string> seeds;  // other nodes' host:port
  // The leader's lease: renewed every third of it; a dead leader's runs out
  // after at most this long, and another node takes over.
  duration lease_ttl = std::chrono::seconds(6);
  bool enabled() const { return !listen_host.empty(); }
};

struct settings {
  service_settings service;
  log_settings log;
  http_settings http;
  http_client_settings http_client;
  supervision_settings supervision;
  database_settings database;
  telegram_settings telegram;
  bot_settings bot;
  workers_settings workers;
  panel_defaults_settings panel_defaults;
  std::vector<panel_settings> panels;  // empty: no panel configured
  payments_settings payments;
  cryptobot_settings cryptobot;
  yookassa_settings yookassa;
  robokassa_settings robokassa;
  coingate_settings coingate;
  api_settings api;
  cluster_settings cluster;
};

}  // namespace vpnbot::config
