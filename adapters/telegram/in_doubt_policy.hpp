#pragma once

// What becomes of a Bot API call that was in flight when the process died.
// Telegram takes no idempotency key, so nobody knows whether it arrived.
// Calls that are harmless twice (edits, answers, webhook settings) are sent
// again. A key or a payment result (the transactional lane) is sent again
// too: a second copy costs the user a glance, a lost one costs a support
// ticket. Everything else (menu replies, reminders, broadcasts, invoices,
// refunds) is left in doubt, so nobody is answered twice.

#include <string_view>

#include "adapters/telegram/outbox_queue.hpp"

namespace vpnbot::telegram {

bool resend_after_crash(std::string_view method, lane l);

}  // namespace vpnbot::telegram
