// The [telegram] keys: the Bot API, its update source and send rates.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_telegram_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(string_key("telegram", "token", "bot token from @BotFather", &settings::telegram,
                         &telegram_settings::token));
  k.push_back(string_key("telegram", "api_base", "Bot API base URL", &settings::telegram,
                         &telegram_settings::api_base));
  k.push_back(choice_key("telegram", "mode", "polling or webhook", &settings::telegram,
                         &telegram_settings::mode, {"polling", "webhook"}));
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
  k.push_back(uint_key("telegram", "paid_broadcast_rate",
                       "messages per second of a paid broadcast (allow_paid_broadcast: Telegram "
                       "charges 0.1 Star per message above the free 30/s)",
                       &settings::telegram, &telegram_settings::paid_broadcast_rate, 1, 1000));
  k.push_back(uint_key("telegram", "chat_rate", "messages per second to one chat",
                       &settings::telegram, &telegram_settings::chat_rate, 1, 1000));
  k.push_back(uint_key("telegram", "chat_burst", "messages one chat may get at once",
                       &settings::telegram, &telegram_settings::chat_burst, 1, 1000));
  k.push_back(uint_key("telegram", "max_in_flight",
                       "calls the outbox has under way at once (keep at or below "
                       "http_client.pool_size so that connections are reused)",
                       &settings::telegram, &telegram_settings::max_in_flight, 1, 10000));
  k.push_back(bool_key("telegram", "unlimited_rates",
                       "no send limits; only with a loopback api_base (a local emulator)",
                       &settings::telegram, &telegram_settings::unlimited_rates));
  k.push_back(duration_key("telegram", "session_idle_timeout",
                           "a user's session actor idle this long is passivated",
                           &settings::telegram, &telegram_settings::session_idle_timeout, 10ms));
  k.push_back(duration_key("telegram", "broadcast_progress_interval",
                           "how often a broadcast's progress message in the bot is updated",
                           &settings::telegram, &telegram_settings::broadcast_progress_interval,
                           100ms));
  k.push_back(uint_key("telegram", "flood_limit",
                       "updates one user may send within flood_window; more get one warning",
                       &settings::telegram, &telegram_settings::flood_limit, 1, 100000));
  k.push_back(duration_key("telegram", "flood_window", "window of the per-user flood limit",
                           &settings::telegram, &telegram_settings::flood_window, 1000ms));
}

}  // namespace vpnbot::config
