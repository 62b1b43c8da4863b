// Time from a paid CryptoBot notification to the key's message, through the
// whole service in this process (the test harness's root tree) against the
// Bot API, 3x-ui and CryptoBot emulators on loopback: the webhook route, the
// signature check, the finalizer's transaction that queues the job, the
// NOTIFY of its commit, the activation worker, the panel calls, the outbox.
// The worker's scan is set to an hour, so only the commit's notification can
// start a job. Users go one after another, each ordering first (/start, Buy,
// 30 days, CryptoBot) and paying once the invoice is issued, with Telegram's
// limits lifted so the chat's bucket has room. Prints its figures; asserts
// nothing.
//
//   pg_virtualenv -t -v 15 ./build/bench/bench_payment_key_bench [users]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/payments/cryptobot_emulator.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "support/bot_harness.hpp"
#include "support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using vpnbot::emulators::bot_api_emulator;
using clock_type = std::chrono::steady_clock;

// The first call of `method` to `chat`, after the first `after` calls of
// that method, satisfying `match`; waits up to `timeout`.
template <class Match>
std::optional<vpnbot::emulators::bot_api_call> await_call(const bot_api_emulator& emu,
                                                          const std::string& method, int64_t chat,
                                                          std::size_t after, Match match,
                                                          std::chrono::milliseconds timeout) {
  auto until = clock_type::now() + timeout;
  while (clock_type::now() < until) {
    auto calls = emu.calls(method);
    for (auto i = after; i < calls.size(); ++i)
      if (calls[i].params.value("chat_id", int64_t{0}) == chat && match(calls[i].params))
        return calls[i];
    std::this_thread::sleep_for(200us);
  }
  return std::nullopt;
}

double ms(clock_type::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct percentiles {
  std::vector<double> values;
  double at(double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size()) + 0.999999);
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
  }
};

}  // namespace

int main(int argc, char** argv) {
  namespace ts = vpnbot::testing_support;
  namespace emu_ns = vpnbot::emulators;
  int users = argc > 1 ? std::atoi(argv[1]) : 100;
  if (!ts::test_database_url()) {
    std::fprintf(stderr, "payment_key_bench: run it under pg_virtualenv (no PG* settings)\n");
    return 2;
  }
  auto url = ts::create_fresh_database("payment_key_bench");
  emu_ns::xui_emulator panel;
  emu_ns::cryptobot_emulator crypto;
  bot_api_emulator emu;
  auto s = ts::bot_test_settings(url, emu);
  s.panels = {emu_ns::panel_settings_for(panel, "main")};
  s.panel_defaults.job_scan_interval = std::chrono::hours(1);
  s.cryptobot.api_base = crypto.api_base();
  s.cryptobot.token = crypto.token();
  s.payments.issue_interval = 20ms;
  s.payments.watch_interval = std::chrono::hours(1);
  s.telegram.global_rate = 10000;
  s.telegram.chat_rate = 1000;
  s.telegram.chat_burst = 1000;
  ts::bot_harness bot(s);
  auto port = bot.http_port();

  percentiles to_receipt, to_key;
  int missing = 0;
  for (int i = 0; i < users; ++i) {
    int64_t user = 8'000'000 + i;
    auto any = [](const nlohmann::json&) { return true; };
    auto offers = [](const std::string& label) {
      return [label](const nlohmann::json& p) { return !ts::callback_of(p, label).empty(); };
    };
    auto sent = emu.calls("sendMessage").size();
    emu.push_text(user, "/start");
    auto menu = await_call(emu, "sendMessage", user, sent, offers("Buy"), 10s);
    if (!menu) {
      ++missing;
      continue;
    }
    // The menu message is edited in place from screen to screen.
    auto press = [&, at = menu->message_id](const nlohmann::json& screen,
                                            const std::string& label) {
      auto edits = emu.calls("editMessageText").size();
      emu.push_callback(user, at, ts::callback_of(screen, label));
      return await_call(emu, "editMessageText", user, edits, any, 10s);
    };
    auto plans = press(menu->params, "Buy");
    auto methods = plans ? press(plans->params, "30 days") : std::nullopt;
    bool ordered = methods && press(methods->params, "CryptoBot");
    std::string invoice;
    for (auto until = clock_type::now() + 10s; ordered && invoice.empty();) {
      invoice = bot.query(
          "SELECT coalesce(p.provider_payment_id, '') FROM payments p JOIN users u ON"
          " u.id = p.user_id WHERE u.telegram_id = " +
          std::to_string(user));
      if (invoice.empty()) {
        if (clock_type::now() > until) break;
        std::this_thread::sleep_for(1ms);
      }
    }
    if (invoice.empty()) {
      ++missing;
      continue;
    }
    // The "tap to pay" message has gone, so the chat is idle again.
    await_call(
        emu, "sendMessage", user, sent,
        [&](const nlohmann::json& p) { return p.dump().find("url") != std::string::npos; }, 10s);
    auto delivery = crypto.pay(std::stoll(invoice));
    sent = emu.calls("sendMessage").size();
    auto posted = clock_type::now();
    auto r = emu_ns::http_call(
        port, "POST", "/pay/cryptobot", delivery.body,
        {{"Content-Type", "application/json"}, {"crypto-pay-api-signature", delivery.signature}});
    auto text_has = [](const char* needle) {
      return [needle](const nlohmann::json& p) {
        return p.value("text", "").find(needle) != std::string::npos;
      };
    };
    auto receipt = await_call(emu, "sendMessage", user, sent, text_has("Payment received"), 10s);
    auto key = await_call(emu, "sendMessage", user, sent, text_has("Your key is ready"), 10s);
    if (r.status != 200 || !receipt || !key) {
      ++missing;
      continue;
    }
    to_receipt.values.push_back(ms(receipt->at - posted));
    to_key.values.push_back(ms(key->at - posted));
  }
  std::printf("payment_key_bench: %d users, one at a time, job scan every hour\n", users);
  std::printf(
      "notification -> 'Payment received': p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      to_receipt.at(0.5), to_receipt.at(0.9), to_receipt.at(0.99), to_receipt.at(1.0));
  std::printf(
      "notification -> key message: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%zu keys,"
      " %d missing)\n",
      to_key.at(0.5), to_key.at(0.9), to_key.at(0.99), to_key.at(1.0), to_key.values.size(),
      missing);
  return 0;
}
