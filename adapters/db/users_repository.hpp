#pragma once

// Telegram users as the service knows them.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "adapters/db/sessions_repository.hpp"

namespace vpnbot::db {

struct user_row {
  int64_t id = 0;
  int64_t telegram_id = 0;
  std::string username;
  std::string first_name;
  std::string language;
  std::string referral_code;
  std::optional<int64_t> referred_by;
  int64_t balance = 0;
  std::string balance_currency;
  bool blocked_bot = false;
  bool banned = false;
  bool is_admin = false;
};

struct upsert_result {
  user_row user;
  bool created = false;
};

// Creates the user with a fresh referral code (no session), or refreshes
// the names and last_seen_at of an existing one (language is kept: the user
// may have chosen another). An existing user's row is written only when a
// name changed, the bot was blocked, or last seen is a minute old: most
// messages only read it.
upsert_result upsert_user_on_start(pqxx::dbtransaction& tx, int64_t telegram_id,
                                   const std::string& username, const std::string& first_name,
                                   const std::string& language);

// The same, with the user's conversation state read in the same round trip
// (a turn needs both); a new user's session is created with it, at rest on
// the main menu.
struct user_and_session {
  upsert_result upserted;
  std::optional<session_row> session;  // none: a user made without one
};
user_and_session upsert_user_with_session(pqxx::dbtransaction& tx, int64_t telegram_id,
                                          const std::string& username,
                                          const std::string& first_name,
                                          const std::string& language);

// The same for a user the caller found absent: the insert first (with the
// session at rest on the main menu, one round trip), the refresh only when
// the user was created meanwhile.
user_and_session insert_user_with_session(pqxx::dbtransaction& tx, int64_t telegram_id,
                                          const std::string& username,
                                          const std::string& first_name,
                                          const std::string& language);

// A user with its session as a turn's first statement reads them
// (next_pending_update joins them to the update), so that the turn need
// not read them again when there is nothing to write.
struct stored_user {
  user_and_session known;  // as stored (upserted.created false)
  // The row is due a write whatever the names: the bot was blocked, or
  // last seen is a minute old.
  bool due_write = false;
};
// The select list of `users x LEFT JOIN sessions s ON s.user_id = x.id`
// that read_stored_user reads, starting at column `first`; nullopt when
// the join found no user.
extern const char* const stored_user_columns;
inline constexpr pqxx::row::size_type stored_user_width = 16;  // columns in stored_user_columns
std::optional<stored_user> read_stored_user(const pqxx::row& r, pqxx::row::size_type first);
// What upsert_user_with_session would answer for these names without
// writing; nullopt when it would write (a name changed, or due_write).
std::optional<user_and_session> unchanged_user(const stored_user& stored,
                                               const std::string& username,
                                               const std::string& first_name);

std::optional<user_row> find_user_by_id(pqxx::dbtransaction& tx, int64_t id);
std::optional<user_row> find_user_by_telegram_id(pqxx::dbtransaction& tx, int64_t telegram_id);
std::optional<user_row> find_user_by_referral_code(pqxx::dbtransaction& tx,
                                                   const std::string& code);
void set_user_language(pqxx::dbtransaction& tx, int64_t user_id, const std::string& language);
void set_blocked_bot(pqxx::dbtransaction& tx, int64_t user_id, bool blocked);

// A fresh referral code: 8 characters of [a-z0-9], from OpenSSL's RNG.
std::string new_referral_code();

}  // namespace vpnbot::db
