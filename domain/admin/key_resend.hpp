#pragma once

// Sends a user's key again (link and QR, subscriptions::send_key) through
// the outbox, for the newest subscription whose client exists on a panel.

#include <cstdint>
#include <pqxx/pqxx>

#include "domain/admin/acting_operator.hpp"
#include "domain/admin/action_result.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::admin {

struct key_resent {
  int64_t subscription_id = 0;
  int messages = 0;  // queued in the outbox
};

action_result<key_resent> resend_key(pqxx::dbtransaction& tx, const acting_operator& who,
                                     int64_t telegram_id, telegram::outbox_writer& out);

}  // namespace vpnbot::admin
