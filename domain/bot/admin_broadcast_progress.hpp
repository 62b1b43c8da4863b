#pragma once

// A broadcast's progress message in the admin's chat: how it reads (sent,
// failed, blocked, left, with its controls), where it is, and keeping it
// up to date. The bot remembers the message when the admin confirms the
// broadcast and whenever a control redraws it; the broadcaster actor calls
// refresh_progress_messages after each step, which edits a message whose
// numbers or state changed, at most once per `interval` (Telegram refuses
// an edit that changes nothing, and an admin needs no more).

#include <chrono>
#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "domain/bot/turn.hpp"
#include "domain/broadcasts/broadcast.hpp"

namespace vpnbot::telegram::screens {

// `result` (HTML), when not empty, is shown above the numbers.
view progress_view(const texts& catalog, language lang, const broadcasts::progress& p,
                   const std::string& result = {});

// The message (chat, message id) now shows `shown` in `lang`.
void remember_progress_message(pqxx::dbtransaction& tx, int64_t broadcast_id, int64_t chat_id,
                               int64_t message_id, language lang, const std::string& shown);

// Queues the edits due into `out`; returns how many.
int refresh_progress_messages(pqxx::dbtransaction& tx, const texts& catalog, outbox_writer& out,
                              std::chrono::milliseconds interval);

}  // namespace vpnbot::telegram::screens
