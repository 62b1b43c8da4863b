#pragma once

// What becomes of a Bot API call that was in flight when the process died.
// Telegram takes no idempotency key, so nobody knows whether it arrived.
// Calls that are harmless twice (edits, answers, webhook settings, a Stars
// refund: Telegram refuses to refund one charge twice) are sent again. So are messages of the
// transactional lane (a key, a payment result) and the interactive lane (the reply to what the user
// just did): a second copy costs the user a glance, a missing one leaves them unanswered. A row is
// 'sending' only from just before its call goes on the wire until its outcome is recorded, so the
// copies are bounded by the calls in flight. Everything else (reminders, broadcasts, invoices) is
// left in doubt: a second reminder to thousands, or a second invoice, costs more than a missing
// one.

#include <string_view>

#include "adapters/telegram/outbox_queue.hpp"

namespace vpnbot::telegram {

bool resend_after_crash(std::string_view method, lane l);

}  // namespace vpnbot::telegram
