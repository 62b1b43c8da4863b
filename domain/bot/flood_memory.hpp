#pragma once

// What a user's session remembers of the user's flood window, so that its
// turns need not have the database read the user's earlier updates again:
// the session actor takes every turn of its user, one after another, so it
// can count them itself. Its first turn (nothing remembered) has the
// update's statement read the window (db::flood_window) and seeds it; every
// turn, whatever its outcome, is then remembered.
//
// Exact as long as one session takes the user's turns. Two can overlap only
// for a moment: a session forgotten by its manager while a turn of it was
// under way, or a user whose owner moved to another node of a cluster
// before this node saw the move (follow_view then ends the session here).
// The turns the other one took are then missing from the count: the limit
// can only be looser for that window, never stricter.

#include <boost/container/small_vector.hpp>
#include <cstdint>

#include "adapters/db/telegram_repository.hpp"

namespace vpnbot::telegram {

struct flood_memory {
  // received_at (µs since the epoch) of the user's latest earlier updates,
  // ascending; at most the rule's limit of them (the count stops there).
  // One is kept in place: most users' windows hold one update or none, and
  // a session is resident for every user seen lately.
  boost::container::small_vector<int64_t, 1> received_us;
  int64_t warned_us = 0;  // the latest update answered with the warning; 0: none
  bool known = false;     // false: read the window from the database first
};

// An update received at `received_us` judged against what came before it.
struct flood_verdict {
  int64_t earlier_in_window = 0;  // up to the rule's limit
  bool warned_in_window = false;
};

flood_memory seeded_flood_memory(const db::flood_window& window);
flood_verdict judge_flood(const flood_memory& memory, int64_t received_us,
                          const db::flood_rule& rule);
// The update received at `received_us` has been taken (warned: answered
// with the warning): kept for the next turns, what no later update can
// count any more left behind.
void remember_update(flood_memory& memory, int64_t received_us, bool warned,
                     const db::flood_rule& rule);

}  // namespace vpnbot::telegram
