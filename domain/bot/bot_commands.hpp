#pragma once

// The bot's command menu, set at every start for Russian and English
// speakers (setMyCommands with language_code "ru" and "en"), queued in the
// outbox like every other Bot API call; sending it twice is harmless.

#include <cstdint>
#include <pqxx/pqxx>
#include <vector>

#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {

// Queues one setMyCommands per language; returns the outbox ids.
std::vector<int64_t> queue_bot_commands(pqxx::dbtransaction& tx, const texts& catalog);

}  // namespace vpnbot::telegram
