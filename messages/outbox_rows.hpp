#pragma once

// (outbox_rows, std::vector<db::outgoing_call>): rows just committed to
// telegram_outbox, handed over whole by the transaction that wrote them, so
// the outbox need not read them back. Only within a process: across nodes
// the outbox is kicked with ids (outbox_kick). The row type is defined here,
// at the bottom, since this message carries it; the outbox's repository
// (adapters/db/telegram_outbox_repository) reads and writes it.

#include <caf/allowed_unsafe_message_type.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vpnbot::db {

// A Bot API call as telegram_outbox stores it.
struct outgoing_call {
  int64_t id = 0;  // assigned by enqueue
  std::optional<int64_t> chat_id;
  int lane = 1;  // telegram::lane as a number
  std::string method;
  std::string content_type;
  std::string body;
  std::optional<int64_t> update_id;
  bool paid_broadcast = false;  // sent at telegram.paid_broadcast_rate
};

}  // namespace vpnbot::db

// Never serialized: it goes only to the outbox of this process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<vpnbot::db::outgoing_call>)
