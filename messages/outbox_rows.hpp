#pragma once

// (outbox_rows, std::vector<db::outgoing_call>): rows just committed to
// telegram_outbox, handed over whole by the transaction that wrote them, so
// the outbox need not read them back. Only within a process: across nodes
// the outbox is kicked with ids (outbox_kick).

#include <caf/allowed_unsafe_message_type.hpp>
#include <vector>

#include "adapters/db/telegram_outbox_repository.hpp"

// Never serialized: it goes only to the outbox of this process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<vpnbot::db::outgoing_call>)
