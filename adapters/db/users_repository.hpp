#pragma once

// Telegram users as the service knows them.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

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

// On every /start: creates the user with a fresh referral code, or refreshes
// the names and last_seen_at of an existing one (language is kept: the user
// may have chosen another).
upsert_result upsert_user_on_start(pqxx::dbtransaction& tx, int64_t telegram_id,
                                   const std::string& username, const std::string& first_name,
                                   const std::string& language);

std::optional<user_row> find_user_by_id(pqxx::dbtransaction& tx, int64_t id);
std::optional<user_row> find_user_by_telegram_id(pqxx::dbtransaction& tx, int64_t telegram_id);
std::optional<user_row> find_user_by_referral_code(pqxx::dbtransaction& tx,
                                                   const std::string& code);
void set_user_language(pqxx::dbtransaction& tx, int64_t user_id, const std::string& language);
void set_blocked_bot(pqxx::dbtransaction& tx, int64_t user_id, bool blocked);

// A fresh referral code: 8 characters of [a-z0-9], from OpenSSL's RNG.
std::string new_referral_code();

}  // namespace vpnbot::db
