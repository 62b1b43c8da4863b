#pragma once

// The bot's conversation as plain functions over one database transaction:
// take the oldest unhandled update of a user, decide (flood limit, command,
// button), change what it changes, write the replies to the outbox table and
// mark the update handled — all or nothing. The session actor only calls
// these in order; tests call them directly against a database.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/telegram/endpoint.hpp"
#include "domain/bot/flood_memory.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {

struct bot_profile {
  const texts* catalog = &texts::builtin();
  endpoint api{};          // requests are encoded against it; the stored rows carry no token
  std::string username{};  // of the bot, for deep links
  std::vector<int64_t> admin_ids{};
  std::string support{};  // "@name" or a URL
  std::vector<std::string> payment_methods{};
  std::string currency = "RUB";
  int64_t referral_bonus = 0;
  db::flood_rule flood{};
  std::chrono::seconds payment_ttl{std::chrono::hours(1)};
  std::string node{};  // service.node_name: recorded on each update it handles
};

struct handled_update {
  int64_t update_id = 0;
  // handled | flood_warned | flood_dropped | malformed | ignored | failed | held
  std::string outcome;
  int replies = 0;                  // outbox rows written
  std::vector<int64_t> outbox_ids;  // their ids, for kick_outbox
  // Another update of the user was waiting: take it next without a kick.
  bool more_pending = false;
  // The rows themselves when the turn wrote them in one statement with
  // others (handle_next_updates), for hand_outbox; else empty.
  std::vector<db::outgoing_call> outbox_rows;
  // The user's flood window after this turn, for its next one (not known
  // after an update given up).
  flood_memory flood;
};

// A user whose turn is due, with what its session remembers of the user's
// flood window (none, or not known: the turn's statement reads it).
struct turn_ask {
  int64_t telegram_user_id = 0;
  const flood_memory* flood = nullptr;
};

// nullopt when the user has no unhandled update.
std::optional<handled_update> handle_next_update(pqxx::dbtransaction& tx, const bot_profile& bot,
                                                 int64_t telegram_user_id,
                                                 const flood_memory* flood = nullptr);

// The same for many users (each at most once) in one transaction: their
// updates are read by one statement and finished by one, each turn's own
// statements (a new user, a purchase...) in between. One answer per user,
// in the order given; a turn that throws fails them all.
std::vector<std::optional<handled_update>> handle_next_updates(pqxx::dbtransaction& tx,
                                                               const bot_profile& bot,
                                                               const std::vector<turn_ask>& asks);

// Gives up on the user's oldest unhandled update (it failed too often): it is
// skipped with an apology, so one poisonous update cannot block the user.
// Except an update carrying money (a successful_payment): the charge id
// exists nowhere else, so it is never skipped; outcome "held", nothing
// written, and the caller keeps retrying it.
std::optional<handled_update> give_up_next_update(pqxx::dbtransaction& tx, const bot_profile& bot,
                                                  int64_t telegram_user_id,
                                                  const std::string& reason);

}  // namespace vpnbot::telegram
