#pragma once

// Banning a user: the bot ignores them from then on (conversation.cpp), so
// they are told once, politely, that their access is suspended; each live
// subscription's client is disabled on its panel through a disable_client
// job, and stays off while the ban lasts (subscription_liveness: a banned
// user's subscription is not enabled, so neither reconcile nor a later job
// turns it back on). Unbanning re-enables the subscriptions still within
// their time through enable_client jobs and tells the user. Banning a banned
// user (or unbanning one who is not) changes nothing.

#include <cstdint>
#include <pqxx/pqxx>

#include "domain/admin/acting_operator.hpp"
#include "domain/admin/action_result.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::admin {

struct ban_change {
  bool changed = false;   // false: it was so already
  int subscriptions = 0;  // clients queued to be disabled / enabled
};

action_result<ban_change> ban_user(pqxx::dbtransaction& tx, const acting_operator& who,
                                   int64_t telegram_id, telegram::outbox_writer& out);
action_result<ban_change> unban_user(pqxx::dbtransaction& tx, const acting_operator& who,
                                     int64_t telegram_id, telegram::outbox_writer& out);

}  // namespace vpnbot::admin
