#pragma once

// Bot API calls waiting to be sent, stored with the change that caused them
// (see migration 0002). The body is stored encoded; the token is not: the
// sender adds it when it builds the URL.

#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "messages/outbox_rows.hpp"

namespace vpnbot::db {

int64_t enqueue_outgoing(pqxx::dbtransaction& tx, const outgoing_call& call);

// Queued calls with an id above `after_id`, oldest first (the scan at start).
std::vector<outgoing_call> queued_outgoing(pqxx::dbtransaction& tx, int64_t after_id, int limit);
// Those of `ids` that are still queued.
std::vector<outgoing_call> queued_outgoing(pqxx::dbtransaction& tx,
                                           const std::vector<int64_t>& ids);

// Marks those of `ids` still queued (or already sending: a mark repeated
// after a lost answer) as sending and answers them; a row recorded sent or
// failed meanwhile (a scan's stale copy of it) is left out, never sent again.
std::vector<int64_t> mark_outgoing_sending(pqxx::dbtransaction& tx,
                                           const std::vector<int64_t>& ids);
void mark_outgoing_sent(pqxx::dbtransaction& tx, const std::vector<int64_t>& ids);
void mark_outgoing_failed(pqxx::dbtransaction& tx, int64_t id, const std::string& error);

struct settled_in_flight {
  int64_t resent = 0;    // queued again
  int64_t in_doubt = 0;  // left alone for good
};

// After a crash: each call caught in flight is queued again when
// `resend(method, lane)` says so, else it becomes in_doubt.
settled_in_flight settle_in_flight(pqxx::dbtransaction& tx,
                                   const std::function<bool(const std::string&, int)>& resend);

}  // namespace vpnbot::db
