#pragma once

// Durable hand-off of Telegram updates: an update is stored before the
// poller's offset moves past it, and the offset only moves forward, so a
// crash neither loses an update nor handles one twice.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/db/menu_facts.hpp"
#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/db/users_repository.hpp"

namespace vpnbot::db {

struct incoming_update {
  int64_t update_id = 0;
  std::optional<int64_t> user_id;
  std::string_view raw;  // the update's JSON text as received: valid JSON
};
// Stores a batch in one statement; answers the update_ids that were new.
std::vector<int64_t> store_updates(pqxx::dbtransaction& tx,
                                   const std::vector<incoming_update>& updates);
// Marks updates done (state "handled" or "skipped" with its note, by the
// node `handled_by`, empty: not recorded) and enqueues their replies, in one
// statement; answers each update's reply outbox ids in their order.
struct finished_update {
  int64_t update_id = 0;
  std::string state;
  std::optional<std::string> note;
  const std::vector<outgoing_call>* replies = nullptr;  // not null
};
std::vector<std::vector<int64_t>> finish_updates(pqxx::dbtransaction& tx,
                                                 const std::vector<finished_update>& updates,
                                                 const std::string& handled_by = {});
// Not handled, for a reason (flood, malformed, poison...); never picked again.
void mark_update_skipped(pqxx::dbtransaction& tx, int64_t update_id, const std::string& note);

// A user sending more than `limit` updates within `window` is answered
// once with a warning, then not at all until the window has moved on.
struct flood_rule {
  std::chrono::milliseconds window{std::chrono::minutes(1)};
  int64_t limit = 20;
};

// The user's updates received within the flood window before one update,
// as far as the rule needs them.
struct flood_window {
  // received_at (µs since the epoch) of the latest of them, at most the
  // rule's limit (a flooding user's turn does not read all of its flood).
  std::vector<int64_t> earlier_us;
  // The latest of them answered with the flood warning; 0: none.
  int64_t warned_us = 0;
};

struct pending_update {
  int64_t update_id = 0;
  std::string raw_json;
  int64_t received_us = 0;  // received_at, µs since the epoch
  // Read when asked for (a session that remembers its user's window does not ask).
  std::optional<flood_window> window;
  // Another update of this user waits after this one.
  bool more_pending = false;
  // The sender as stored, with its session (none: not a user yet).
  std::optional<stored_user> user;
  // What the main menu would show the sender, as of this statement: valid
  // for a turn that writes nothing before it shows the menu.
  menu_facts menu;
};

struct pending_read {
  int64_t user_id = 0;  // the sender's Telegram id
  bool with_window = true;
};

// The oldest unhandled update of a user, row locked: updates of one user
// are handled strictly in update_id order.
std::optional<pending_update> next_pending_update(pqxx::dbtransaction& tx, const pending_read& read,
                                                  const flood_rule& flood);
// The same for many users (each at most once) in one statement: one answer
// per user, in the order given.
std::vector<std::optional<pending_update>> next_pending_updates(
    pqxx::dbtransaction& tx, const std::vector<pending_read>& reads, const flood_rule& flood);
// Users with unhandled updates, for recovery after a restart.
std::vector<int64_t> users_with_pending_updates(pqxx::dbtransaction& tx);

// Never moves backwards.
void advance_offset(pqxx::dbtransaction& tx, int64_t bot_id, int64_t last_update_id);
std::optional<int64_t> offset_of(pqxx::dbtransaction& tx, int64_t bot_id);

}  // namespace vpnbot::db
