// End-to-end throughput of the real vpnbot binary: Telegram updates in
// through getUpdates, menu replies out through sendMessage, on a lean Bot API
// emulator, with vpnbot's own embedded PostgreSQL. Prints its figures;
// asserts nothing. Modes:
//
//   bench_updates_bench [--users N] [--updates-per-user K] [--vpnbot PATH]
//       N users × K text updates ("/start", then "hi k"), all pushed up front
//       round-robin (user 1 update 1, user 2 update 1, ...): updates/s,
//       latency update → reply, CPU and PostgreSQL work per update, peak RSS.
//   bench_updates_bench --latency [--vpnbot PATH]
//       one user, 200 updates, each sent after the reply to the previous one.
//   bench_updates_bench --sessions N [--vpnbot PATH]
//       N users with one "/start" each, whose sessions stay resident (they
//       passivate after telegram.session_idle_timeout, 10 min): vpnbot's
//       RSS growth per user, an upper bound of a session actor's memory;
//       then N more, whose growth no longer holds the first burst's peak.
//   bench_updates_bench --broadcast N [--global-rate R] [--vpnbot PATH]
//       N messages to N chats queued at once on the broadcast lane (rows
//       written behind the service's back, found by the outbox's sweep),
//       telegram.global_rate = R (1000): the sending rate the outbox holds.
//   bench_updates_bench --rival DIR [--users N] [--updates-per-user K]
//       the same burst answered by the Node.js bot in DIR (bench/node_bot:
//       grammY with its runner and in-memory sessions) instead of vpnbot.
//   bench_updates_bench --emulator-capacity
//       what the Bot API emulators serve alone (no vpnbot).
//
// Run it through scripts/bench-updates.sh, which builds what it needs.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "bench/support/http_hammer.hpp"
#include "bench/support/lean_bot_api.hpp"
#include "bench/support/pg_counters.hpp"
#include "bench/support/proc_stats.hpp"
#include "bench/support/vpnbot_under_bench.hpp"
#include "support/service_process.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using vpnbot::bench::lean_bot_api;

// User ids far from anything the service seeds.
constexpr int64_t first_user = 1'000'000;
// PostgreSQL 15 flushes an idle backend's statistics within 10 s at the latest.
constexpr auto stats_flush = 11s;

struct options {
  int users = 2000;
  int updates_per_user = 10;
  std::string vpnbot = "build/vpnbot";
  std::chrono::seconds timeout{300};
  bool latency = false;
  int sessions = 0;
  int broadcast = 0;
  int global_rate = 1000;
  bool emulator_capacity = false;
  std::string rival;  // --rival DIR: the Node.js bot instead of vpnbot
  // --set VPNBOT_NAME=value: a setting of the service under bench, to
  // compare settings side by side.
  std::map<std::string, std::string> settings;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--users")
      o.users = std::stoi(value());
    else if (a == "--updates-per-user")
      o.updates_per_user = std::stoi(value());
    else if (a == "--vpnbot")
      o.vpnbot = value();
    else if (a == "--timeout")
      o.timeout = std::chrono::seconds(std::stoi(value()));
    else if (a == "--rival")
      o.rival = value();
    else if (a == "--latency")
      o.latency = true;
    else if (a == "--sessions")
      o.sessions = std::stoi(value());
    else if (a == "--broadcast")
      o.broadcast = std::stoi(value());
    else if (a == "--global-rate")
      o.global_rate = std::stoi(value());
    else if (a == "--emulator-capacity")
      o.emulator_capacity = true;
    else if (a == "--set") {
      auto kv = value();
      auto eq = kv.find('=');
      if (eq == std::string::npos || !kv.starts_with("VPNBOT_"))
        throw std::invalid_argument("--set takes VPNBOT_NAME=value");
      o.settings[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else
      throw std::invalid_argument("unknown argument " + a);
  }
  if (o.users < 1 || o.updates_per_user < 1) throw std::invalid_argument("need at least 1");
  return o;
}

std::string update_text(int k) {
  return k == 0 ? "/start" : "hi " + std::to_string(k);
}

double ms(clock_type::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void print_latency(const char* label, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::printf("%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%zu samples)\n", label,
              percentile(values, 0.5), percentile(values, 0.99),
              values.empty() ? 0.0 : values.back(), values.size());
}

void print_calls(const lean_bot_api& api) {
  std::printf("Bot API calls:");
  for (const auto& [method, n] : api.calls_by_method()) std::printf(" %s=%zu", method.c_str(), n);
  std::printf("\n");
}

// The machine may be shared: the best of three short runs is the capacity,
// the worst shows how much the neighbours took.
void measure(const char* what, uint16_t port, const std::string& target, const std::string& body,
             int connections) {
  double best = 0;
  double worst = 0;
  std::size_t failures = 0;
  for (int run = 0; run < 3; ++run) {
    auto r = vpnbot::bench::hammer(port, target, body, connections, 2s);
    best = run == 0 ? r.calls_per_second : std::max(best, r.calls_per_second);
    worst = run == 0 ? r.calls_per_second : std::min(worst, r.calls_per_second);
    failures += r.failures;
  }
  std::printf("  %-28s %d connection(s): best %6.0f calls/s, worst %6.0f (3 x 2 s, %zu failures)\n",
              what, connections, best, worst, failures);
}

void emulator_capacity() {
  const std::string send = R"({"chat_id":42,"text":"capacity probe"})";
  const std::string poll = R"({"offset":1,"limit":100,"timeout":0})";
  {
    vpnbot::emulators::bot_api_emulator emu;
    auto target = "/bot" + emu.token() + "/";
    std::printf("test emulator (adapters/emulators/telegram/bot_api_emulator):\n");
    for (int connections : {1, 2}) {
      measure("sendMessage", emu.port(), target + "sendMessage", send, connections);
      measure("getUpdates (empty, no wait)", emu.port(), target + "getUpdates", poll, connections);
    }
  }
  lean_bot_api lean;
  auto target = "/bot" + lean.token() + "/";
  std::printf("lean emulator (bench/support/lean_bot_api):\n");
  for (int connections : {1, 2}) {
    measure("sendMessage", lean.port(), target + "sendMessage", send, connections);
    measure("getUpdates (empty, no wait)", lean.port(), target + "getUpdates", poll, connections);
  }
}

// Work counters read before and after the measured part.
struct snapshot {
  std::chrono::milliseconds vpnbot_cpu{0};
  std::optional<std::chrono::milliseconds> postgres_cpu;
  int64_t transactions = 0;
  std::optional<vpnbot::bench::statement_counts> statements;
};

snapshot take_cpu(const vpnbot::bench::vpnbot_under_bench& service) {
  snapshot s;
  s.vpnbot_cpu = vpnbot::bench::cpu_time(service.pid());
  if (auto postmaster = vpnbot::bench::postmaster_pid(service.cluster_dir()))
    s.postgres_cpu = vpnbot::bench::postgres_cpu_time(*postmaster);
  return s;
}

void take_database(snapshot& s, vpnbot::bench::pg_counters& pg) {
  s.transactions = pg.committed_transactions();
  s.statements = pg.statements();
}

void print_work(const snapshot& before, const snapshot& after, double updates) {
  auto per = [&](double total) { return total / updates; };
  std::printf("vpnbot CPU: %.3f ms per update (%.1f s in all)\n",
              per(static_cast<double>((after.vpnbot_cpu - before.vpnbot_cpu).count())),
              static_cast<double>((after.vpnbot_cpu - before.vpnbot_cpu).count()) / 1000);
  if (before.postgres_cpu && after.postgres_cpu)
    std::printf("PostgreSQL CPU: %.3f ms per update (postmaster and its children)\n",
                per(static_cast<double>((*after.postgres_cpu - *before.postgres_cpu).count())));
  else
    std::printf("PostgreSQL CPU: not found (no postmaster.pid)\n");
  std::printf("PostgreSQL transactions: %.2f per update (xact_commit)\n",
              per(static_cast<double>(after.transactions - before.transactions)));
  if (before.statements && after.statements)
    std::printf(
        "PostgreSQL statements: %.2f per update, %.2f without BEGIN/COMMIT/ROLLBACK "
        "(pg_stat_statements)\n",
        per(static_cast<double>(after.statements->all - before.statements->all)),
        per(static_cast<double>(
            (after.statements->all - after.statements->transaction_control) -
            (before.statements->all - before.statements->transaction_control))));
  else
    std::printf("PostgreSQL statements: not counted (pg_stat_statements not loaded)\n");
}

// Where the statements per update go: calls since the cluster started
// (the start's own are a few per statement, nothing beside 20,000 updates).
void print_busiest(vpnbot::bench::pg_counters& pg, double updates) {
  auto busiest = pg.busiest(12);
  if (busiest.empty()) return;
  std::printf("busiest statements (calls per update, execution time per call):\n");
  for (const auto& s : busiest)
    std::printf("  %6.2f  %7.1f us  %.100s\n", static_cast<double>(s.calls) / updates,
                s.calls ? 1000 * s.exec_ms / static_cast<double>(s.calls) : 0.0, s.query.c_str());
}

// The burst's users and updates, pushed up front round-robin, and their
// replies matched to them: prints the replies, the rate and the latencies;
// answers the number of answered updates.
std::size_t push_burst(lean_bot_api& api, const options& o) {
  auto total = static_cast<std::size_t>(o.users) * static_cast<std::size_t>(o.updates_per_user);
  std::printf(
      "mode: burst, %d users x %d updates = %zu updates pushed up front, round-robin "
      "(user 1 update 1, user 2 update 1, ...)\n",
      o.users, o.updates_per_user, total);
  auto replies_before = api.reply_count();
  std::vector<std::vector<clock_type::time_point>> pushed(static_cast<std::size_t>(o.users));
  auto first_push = clock_type::now();
  for (int k = 0; k < o.updates_per_user; ++k)
    for (int u = 0; u < o.users; ++u) {
      pushed[static_cast<std::size_t>(u)].push_back(clock_type::now());
      api.push_text(first_user + u, k + 1, update_text(k));
    }
  bool complete = api.wait_for_replies(replies_before + total, o.timeout);
  auto replies = api.replies();
  replies.erase(replies.begin(), replies.begin() + static_cast<std::ptrdiff_t>(replies_before));

  // The k-th reply to a chat answers its k-th update: one menu per update.
  std::vector<std::size_t> answered(static_cast<std::size_t>(o.users));
  std::vector<double> latencies;
  std::size_t stray = 0;
  for (const auto& r : replies) {
    auto u = r.chat_id - first_user;
    if (u < 0 || u >= o.users ||
        answered[static_cast<std::size_t>(u)] >= static_cast<std::size_t>(o.updates_per_user)) {
      ++stray;
      continue;
    }
    auto& k = answered[static_cast<std::size_t>(u)];
    latencies.push_back(ms(r.at - pushed[static_cast<std::size_t>(u)][k++]));
  }
  auto last = replies.empty() ? first_push : replies.back().at;
  double seconds = ms(last - first_push) / 1000;
  std::printf("replies: %zu of %zu%s; %zu beyond one per update\n", replies.size(), total,
              complete ? "" : " (timed out)", stray);
  std::printf("updates/s: %.0f (%zu answered updates in %.2f s, first push to last reply)\n",
              static_cast<double>(latencies.size()) / seconds, latencies.size(), seconds);
  print_latency("latency update -> reply", latencies);
  return latencies.size();
}

void burst(const options& o) {
  lean_bot_api api;
  vpnbot::bench::vpnbot_under_bench service(o.vpnbot, api, o.settings);
  vpnbot::bench::pg_counters pg(service.cluster_dir());
  std::this_thread::sleep_for(stats_flush);  // the start's own statistics settle
  auto before = take_cpu(service);
  take_database(before, pg);
  auto answered = static_cast<double>(push_burst(api, o));
  auto after = take_cpu(service);
  auto peak_kib = vpnbot::bench::peak_rss_kib(service.pid());
  std::this_thread::sleep_for(stats_flush);
  take_database(after, pg);
  print_work(before, after, answered);
  print_busiest(pg, answered);
  std::printf("vpnbot peak RSS: %.1f MiB (VmHWM)\n", static_cast<double>(peak_kib) / 1024);
  print_calls(api);
}

// The same burst answered by the Node.js bot in `dir` (bench/node_bot, its
// packages installed), on the same emulator: the side-by-side figure.
void rival(const options& o) {
  lean_bot_api api;
  // service_process runs what VPNBOT_BINARY names.
  ::setenv("VPNBOT_BINARY", "/usr/bin/node", 1);
  vpnbot::testing_support::service_process bot(
      {o.rival + "/bot.js"}, {{"BOT_TOKEN", api.token()}, {"API_ROOT", api.api_base()}});
  auto polling = [](const nlohmann::json& line) {
    return line.is_object() && line.value("msg", "") == "polling";
  };
  if (!bot.wait_for_log(polling, 60s))
    throw std::runtime_error("the Node.js bot did not start polling within 60 s");
  std::printf("rival: the Node.js bot in %s\n", o.rival.c_str());
  auto cpu_before = vpnbot::bench::cpu_time(bot.pid());
  auto answered = static_cast<double>(push_burst(api, o));
  auto cpu = vpnbot::bench::cpu_time(bot.pid()) - cpu_before;
  std::printf("bot CPU: %.3f ms per update (%.1f s in all)\n",
              static_cast<double>(cpu.count()) / answered, static_cast<double>(cpu.count()) / 1000);
  std::printf("bot peak RSS: %.1f MiB (VmHWM)\n",
              static_cast<double>(vpnbot::bench::peak_rss_kib(bot.pid())) / 1024);
  print_calls(api);
}

void latency(const options& o) {
  constexpr int updates = 200;
  lean_bot_api api;
  vpnbot::bench::vpnbot_under_bench service(o.vpnbot, api, o.settings);
  std::printf("mode: latency, one user, %d updates, each after the reply to the previous one\n",
              updates);
  std::vector<double> latencies;
  for (int k = 0; k < updates; ++k) {
    auto replied = api.reply_count();
    auto pushed = clock_type::now();
    api.push_text(first_user, k + 1, update_text(k));
    if (!api.wait_for_replies(replied + 1, 30s)) {
      std::printf("no reply to update %d within 30 s; stopping\n", k + 1);
      break;
    }
    latencies.push_back(ms(api.replies()[replied].at - pushed));
  }
  print_latency("latency update -> reply", latencies);
  print_calls(api);
}

// One wave: N more users with one "/start" each; answers the RSS growth
// per user, or a negative figure when the replies timed out.
double session_wave(lean_bot_api& api, const vpnbot::bench::vpnbot_under_bench& service,
                    const options& o, int64_t first) {
  auto before = vpnbot::bench::rss_kib(service.pid());
  auto replied = api.reply_count();
  for (int u = 0; u < o.sessions; ++u) api.push_text(first + u, 1, "/start");
  bool complete = api.wait_for_replies(replied + static_cast<std::size_t>(o.sessions), o.timeout);
  std::this_thread::sleep_for(2s);
  auto after = vpnbot::bench::rss_kib(service.pid());
  std::printf("replies: %zu of %d%s; vpnbot RSS %.1f MiB before, %.1f MiB after\n",
              api.reply_count() - replied, o.sessions, complete ? "" : " (timed out)",
              static_cast<double>(before) / 1024, static_cast<double>(after) / 1024);
  return static_cast<double>(after - before) * 1024 / o.sessions;
}

void resident_sessions(const options& o) {
  lean_bot_api api;
  vpnbot::bench::vpnbot_under_bench service(o.vpnbot, api, o.settings);
  std::printf("mode: sessions, %d users with one /start each, sessions left resident\n",
              o.sessions);
  // A few users first, so what every process grows once is not counted.
  for (int u = 0; u < 100; ++u) api.push_text(first_user + 2 * o.sessions + u, 1, "/start");
  api.wait_for_replies(100, o.timeout);
  std::this_thread::sleep_for(2s);
  auto first = session_wave(api, service, o, first_user);
  std::printf("%.0f bytes per resident session\n", first);
  // The first wave's growth also holds the burst's own peak (queued
  // updates, replies, the allocator's slack), freed but kept by the
  // process; a second wave reuses it, so its growth is nearer to what the
  // sessions themselves keep.
  auto second = session_wave(api, service, o, first_user + o.sessions);
  std::printf("second wave: %.0f bytes per resident session\n", second);
}

void broadcast(const options& o) {
  lean_bot_api api;
  auto settings = o.settings;
  settings["VPNBOT_TELEGRAM_GLOBAL_RATE"] = std::to_string(o.global_rate);
  vpnbot::bench::vpnbot_under_bench service(o.vpnbot, api, settings);
  vpnbot::bench::pg_counters pg(service.cluster_dir());
  std::printf("mode: broadcast, %d messages to %d chats queued at once, global_rate %d/s\n",
              o.broadcast, o.broadcast, o.global_rate);
  auto before = api.reply_count();
  pg.execute(
      "INSERT INTO telegram_outbox (chat_id, lane, method, content_type, body)"
      " SELECT " +
      std::to_string(first_user) +
      " + g, 3, 'sendMessage', 'application/json',"
      " convert_to('{\"chat_id\":' || (" +
      std::to_string(first_user) +
      " + g) || ',\"text\":\"news\"}', 'UTF8') FROM generate_series(1, " +
      std::to_string(o.broadcast) + ") g");
  bool complete = api.wait_for_replies(before + static_cast<std::size_t>(o.broadcast), o.timeout);
  auto replies = api.replies();
  replies.erase(replies.begin(), replies.begin() + static_cast<std::ptrdiff_t>(before));
  std::printf("sent: %zu of %d%s\n", replies.size(), o.broadcast, complete ? "" : " (timed out)");
  if (replies.size() < 2) return;
  auto seconds = ms(replies.back().at - replies.front().at) / 1000;
  std::printf("sends/s: %.0f (%zu in %.2f s, first send to last)\n",
              static_cast<double>(replies.size() - 1) / seconds, replies.size(), seconds);
  // The steadiest stretch: the middle 80 %, past the first burst and the tail.
  auto a = replies.size() / 10;
  auto b = replies.size() - 1 - replies.size() / 10;
  std::printf("sends/s, middle 80 %%: %.0f\n",
              static_cast<double>(b - a) / (ms(replies[b].at - replies[a].at) / 1000));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto o = parse(argc, argv);
    if (o.emulator_capacity)
      emulator_capacity();
    else if (o.latency)
      latency(o);
    else if (o.sessions > 0)
      resident_sessions(o);
    else if (o.broadcast > 0)
      broadcast(o);
    else if (!o.rival.empty())
      rival(o);
    else
      burst(o);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "updates_bench: %s\n", e.what());
    return 1;
  }
}
