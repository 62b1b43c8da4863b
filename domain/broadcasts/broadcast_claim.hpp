#pragma once

// The broadcaster's step: hands the next recipients of each running
// broadcast to the outbox, a window at a time, so neither the outbox nor
// the broadcaster ever holds more than a window of a broadcast's recipients,
// however many it has: `window`, or `paid_window` for a paid broadcast (its
// rate is higher, so it needs more in hand between two steps). A broadcast is topped up only once
// at least half a window has drained, and ends 'done' when none of its recipients is left.
//
// Each claimed recipient becomes a queued outbox row on lane::broadcast and
// the recipient 'queued' with that row's id, in the caller's transaction;
// the outbox's state changes carry the outcome back (migration 0015's
// trigger). After a crash nothing is claimed twice: a recipient is claimed
// only while 'pending'.

#include <cstdint>
#include <pqxx/pqxx>
#include <vector>

namespace vpnbot::broadcasts {

struct claim_report {
  std::vector<int64_t> outbox_ids;  // to kick the outbox with after the commit
  int64_t finished = 0;             // broadcasts that became done
};

claim_report claim_next(pqxx::dbtransaction& tx, int window, int paid_window);

}  // namespace vpnbot::broadcasts
