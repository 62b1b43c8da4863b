#pragma once

// The Bot API call a broadcast sends to one recipient, as an outbox row on
// lane::broadcast. A paid broadcast's body carries allow_paid_broadcast:
// true, which is also what the outbox meters at its paid rate.

#include <cstdint>

#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/broadcasts/broadcast.hpp"

namespace vpnbot::broadcasts {

telegram::send_message message_to(int64_t chat_id, const broadcast_spec& spec);

// The row to enqueue; fails with Telegram's reason when the spec is not a
// valid message (create checks this before any recipient exists).
telegram::result<db::outgoing_call, std::string> outbox_row(int64_t chat_id,
                                                            const broadcast_spec& spec);

}  // namespace vpnbot::broadcasts
