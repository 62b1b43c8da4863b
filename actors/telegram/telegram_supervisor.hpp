#pragma once

// The Telegram subtree, under rest_for_one in this order:
//   http          the HTTP client for Bot API calls (its own I/O threads)
//   outbox        the only sender (rate limits, retries, durable rows)
//   sessions      the session manager and, below it, one actor per user
//   poller | webhook   the update source chosen by telegram.mode
//   broadcaster   streams running broadcasts into the outbox's broadcast lane
// A restarted HTTP client restarts everything that holds its handle; a
// restarted outbox or session manager loses nothing (their work is rows).

#include "actors/components.hpp"
#include "actors/supervisor.hpp"
#include "adapters/metrics/registry.hpp"
#include "adapters/telegram/outbox_queue.hpp"
#include "config/settings.hpp"
#include "domain/bot/conversation.hpp"

namespace vpnbot::telegram {

// The conversation's view of the settings (the username comes from getMe).
caf::expected<bot_profile> profile_from(const config::settings& settings);

// The outbox's limits from the settings: Telegram's, or none at all with
// telegram.unlimited_rates (the loader allows it only for a loopback
// api_base).
outbox_settings outbox_rates(const config::telegram_settings& tg);

supervision::child_spec telegram_child(const config::settings& settings, bot_profile profile,
                                       const components& wiring,
                                       metrics::registry& registry = metrics::global());

}  // namespace vpnbot::telegram
