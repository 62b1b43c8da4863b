// The outbox's limits from the settings: Telegram's by default, none at all
// with telegram.unlimited_rates, which the loader allows only for a
// loopback api_base.

#include <gtest/gtest.h>

#include "actors/telegram/telegram_supervisor.hpp"
#include "adapters/telegram/token_bucket.hpp"
#include "config/loader.hpp"

namespace vpnbot::telegram {
namespace {

bool mentions(const config::load_result& r, const std::string& needle) {
  for (const auto& e : r.errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

TEST(OutboxRates, TelegramsLimitsByDefault) {
  config::telegram_settings tg;
  auto r = outbox_rates(tg);
  EXPECT_EQ(r.global_rate, 30);
  EXPECT_EQ(r.chat_rate, 1);
  EXPECT_EQ(r.chat_burst, 3u);
  token_bucket chat(r.chat_rate, r.chat_burst);
  auto now = token_bucket::clock::now();
  int taken = 0;
  while (chat.try_take(now)) ++taken;
  EXPECT_EQ(taken, 3);
}

TEST(OutboxRates, UnlimitedLetsAHundredThousandGoAtOnceToOneChat) {
  config::telegram_settings tg;
  tg.unlimited_rates = true;
  auto r = outbox_rates(tg);
  token_bucket global(r.global_rate, r.global_burst);
  token_bucket chat(r.chat_rate, r.chat_burst);
  auto now = token_bucket::clock::now();
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_TRUE(global.try_take(now)) << i;
    ASSERT_TRUE(chat.try_take(now)) << i;
  }
}

TEST(OutboxRates, UnlimitedIsRefusedForTelegramItself) {
  auto r = config::load(std::nullopt, {{"VPNBOT_TELEGRAM_UNLIMITED_RATES", "true"}});
  EXPECT_TRUE(mentions(r, "telegram.unlimited_rates: only with a loopback")) << r.errors.size();
  for (const auto* base :
       {"http://127.evil.example:8081", "https://localhost.example.com", "http://10.0.0.1:8081"}) {
    auto other = config::load(std::nullopt, {{"VPNBOT_TELEGRAM_UNLIMITED_RATES", "true"},
                                             {"VPNBOT_TELEGRAM_API_BASE", base}});
    EXPECT_TRUE(mentions(other, "telegram.unlimited_rates")) << base;
  }
}

TEST(OutboxRates, UnlimitedIsAcceptedForALoopbackEmulator) {
  for (const auto* base :
       {"http://127.0.0.1:8081", "http://localhost:9000/", "http://[::1]:8081"}) {
    auto r = config::load(std::nullopt, {{"VPNBOT_TELEGRAM_UNLIMITED_RATES", "true"},
                                         {"VPNBOT_TELEGRAM_API_BASE", base}});
    EXPECT_TRUE(r.ok()) << base << ": " << (r.errors.empty() ? "" : r.errors.front());
    EXPECT_TRUE(r.value.telegram.unlimited_rates);
  }
}

}  // namespace
}  // namespace vpnbot::telegram
