// Time from a user's tap on "Free trial" to the key's message, through the
// whole service in this process (the test harness's root tree) against the
// Bot API and 3x-ui emulators on loopback: the update, the session's turn
// that queues the job, the NOTIFY of its commit, the activation worker, the
// panel calls, the outbox. The worker's scan is set to an hour, so only the
// commit's notification can start a job. Users go one after another, each
// with an idle chat (Telegram's limits lifted), so the figure is the path's
// latency, not queueing. Prints its figures; asserts nothing.
//
//   pg_virtualenv -t -v 15 ./build/bench/bench_activation_bench [users]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "support/bot_harness.hpp"
#include "support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using vpnbot::emulators::bot_api_call;
using vpnbot::emulators::bot_api_emulator;

// When the first call of `method` to `chat` whose text holds `needle`
// arrived, waiting up to `timeout` for it.
std::optional<std::chrono::steady_clock::time_point> arrival(const bot_api_emulator& emu,
                                                             const std::string& method,
                                                             int64_t chat,
                                                             const std::string& needle,
                                                             std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    for (const auto& c : emu.calls(method)) {
      if (!c.params.contains("chat_id") || !c.params.contains("text")) continue;
      const auto& id = c.params["chat_id"];
      if ((id.is_string() ? id.get<std::string>() : id.dump()) != std::to_string(chat)) continue;
      if (c.params["text"].get<std::string>().find(needle) != std::string::npos) return c.at;
    }
    std::this_thread::sleep_for(1ms);
  }
  return std::nullopt;
}

double ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  int users = argc > 1 ? std::atoi(argv[1]) : 100;
  if (!vpnbot::testing_support::test_database_url()) {
    std::fprintf(stderr, "activation_bench: run it under pg_virtualenv (no PG* settings)\n");
    return 2;
  }
  auto url = vpnbot::testing_support::create_fresh_database("activation_bench");
  vpnbot::emulators::xui_emulator panel;
  bot_api_emulator emu;
  auto s = vpnbot::testing_support::bot_test_settings(url, emu);
  s.panels = {vpnbot::emulators::panel_settings_for(panel, "main")};
  s.panel_defaults.job_scan_interval = std::chrono::hours(1);
  s.telegram.global_rate = 10000;
  s.telegram.chat_rate = 1000;
  s.telegram.chat_burst = 1000;
  vpnbot::testing_support::bot_harness bot(s);

  std::vector<double> latencies;
  int missing = 0;
  for (int i = 0; i < users; ++i) {
    int64_t user = 7'000'000 + i;
    emu.push_text(user, "/start");
    if (!arrival(emu, "sendMessage", user, "", 10s)) {
      ++missing;
      continue;
    }
    auto tapped = std::chrono::steady_clock::now();
    emu.push_callback(user, 70, "m:trial");
    auto key = arrival(emu, "sendMessage", user, "Your key is ready", 10s);
    if (!key) {
      ++missing;
      continue;
    }
    latencies.push_back(ms(*key - tapped));
  }
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double p) {
    if (latencies.empty()) return 0.0;
    auto rank = static_cast<std::size_t>(p * static_cast<double>(latencies.size()) + 0.999999);
    return latencies[std::clamp<std::size_t>(rank, 1, latencies.size()) - 1];
  };
  std::printf("activation_bench: %d users, one at a time, job scan every hour\n", users);
  std::printf(
      "trial tap -> key message: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%zu keys, %d missing)\n",
      at(0.5), at(0.99), latencies.empty() ? 0.0 : latencies.back(), latencies.size(), missing);
  return 0;
}
