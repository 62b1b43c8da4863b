#include "adapters/db/users_repository.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

constexpr const char* user_columns =
    "id, telegram_id, coalesce(username, ''), first_name, language, referral_code, referred_by,"
    " balance, balance_currency, blocked_bot, banned, is_admin";

// The columns of user_columns, from column `at` on.
user_row to_user(const pqxx::row& r, pqxx::row::size_type at = 0) {
  user_row u;
  u.id = r[at].as<int64_t>();
  u.telegram_id = r[at + 1].as<int64_t>();
  u.username = r[at + 2].as<std::string>();
  u.first_name = r[at + 3].as<std::string>();
  u.language = r[at + 4].as<std::string>();
  u.referral_code = r[at + 5].as<std::string>();
  if (!r[at + 6].is_null()) u.referred_by = r[at + 6].as<int64_t>();
  u.balance = r[at + 7].as<int64_t>();
  u.balance_currency = r[at + 8].as<std::string>();
  u.blocked_bot = r[at + 9].as<bool>();
  u.banned = r[at + 10].as<bool>();
  u.is_admin = r[at + 11].as<bool>();
  return u;
}

// The session's fsm_state, data and version following a user's columns
// (from column `at` on); none when the user has no session row yet.
std::optional<session_row> session_at(const pqxx::row& r, pqxx::row::size_type at) {
  if (r[at].is_null()) return std::nullopt;
  return session_row{r[at].as<std::string>(), r[at + 1].as<std::string>(), r[at + 2].as<int64_t>()};
}

std::optional<user_row> first_user(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return to_user(r[0]);
}

}  // namespace

std::string new_referral_code() {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string code;
  while (code.size() < 8) {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1) throw std::runtime_error("RAND_bytes failed");
    // 252 = 7 * 36: rejecting the rest keeps every character equally likely.
    if (byte < 252) code += alphabet[byte % 36];
  }
  return code;
}

namespace {

// Names refreshed only when they changed (or a minute passed), else the row
// as it is; then the session. One statement, usually no write.
constexpr const char* existing_user_with_session =
    "WITH changed AS (UPDATE users SET username = nullif($2, ''), first_name = $3,"
    " last_seen_at = now(), blocked_bot = false WHERE telegram_id = $1"
    " AND (username IS DISTINCT FROM nullif($2, '') OR first_name <> $3 OR blocked_bot"
    "      OR last_seen_at < now() - interval '1 minute') RETURNING id),"
    " current AS (SELECT id FROM changed UNION ALL SELECT id FROM users"
    "      WHERE telegram_id = $1 AND NOT EXISTS (SELECT 1 FROM changed))"
    " SELECT u.id, u.telegram_id, $2::text, $3::text, u.language, u.referral_code, u.referred_by,"
    " u.balance, u.balance_currency, false, u.banned, u.is_admin,"
    " s.fsm_state, s.data::text, s.version"
    " FROM current c JOIN users u ON u.id = c.id LEFT JOIN sessions s ON s.user_id = u.id";

// The user and, when $6, its session at rest on the main menu (version 1),
// in one statement: a first turn that stays on the menu then writes nothing
// more. Nothing comes back when the telegram_id or the referral code is taken.
const std::string inserted_user =
    std::string(
        "WITH u AS (INSERT INTO users (telegram_id, username, first_name, language,"
        " referral_code) VALUES ($1, nullif($2, ''), $3, $4, $5) ON CONFLICT DO NOTHING"
        " RETURNING ") +
    user_columns +
    "), s AS (INSERT INTO sessions (user_id, fsm_state, data, version)"
    " SELECT id, 'main', '{}'::jsonb, 1 FROM u WHERE $6 RETURNING fsm_state, data::text, version)"
    " SELECT u.*, s.* FROM u LEFT JOIN s ON true";

// The user as existing_user_with_session answers it; none when absent.
std::optional<user_and_session> existing_user(pqxx::dbtransaction& tx, int64_t telegram_id,
                                              const std::string& username,
                                              const std::string& first_name) {
  auto r = db::exec_prepared_sql(tx, existing_user_with_session, telegram_id, username, first_name);
  if (r.empty()) return std::nullopt;
  return user_and_session{{to_user(r[0]), false}, session_at(r[0], 12)};
}

user_and_session insert_user(pqxx::dbtransaction& tx, int64_t telegram_id,
                             const std::string& username, const std::string& first_name,
                             const std::string& language, bool with_session) {
  // A new code collides with probability ~n/36^8. A taken telegram_id is a
  // user created since the caller looked (two /start racing): refreshed.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto inserted = db::exec_prepared_sql(tx, inserted_user, telegram_id, username, first_name,
                                          language, new_referral_code(), with_session);
    if (!inserted.empty()) return {{to_user(inserted[0]), true}, session_at(inserted[0], 12)};
    if (auto raced = existing_user(tx, telegram_id, username, first_name)) return *raced;
  }
  throw std::runtime_error("could not find a free referral code");
}

user_and_session upsert_user(pqxx::dbtransaction& tx, int64_t telegram_id,
                             const std::string& username, const std::string& first_name,
                             const std::string& language, bool with_session) {
  if (auto existing = existing_user(tx, telegram_id, username, first_name)) return *existing;
  return insert_user(tx, telegram_id, username, first_name, language, with_session);
}

}  // namespace

user_and_session insert_user_with_session(pqxx::dbtransaction& tx, int64_t telegram_id,
                                          const std::string& username,
                                          const std::string& first_name,
                                          const std::string& language) {
  return insert_user(tx, telegram_id, username, first_name, language, true);
}

user_and_session upsert_user_with_session(pqxx::dbtransaction& tx, int64_t telegram_id,
                                          const std::string& username,
                                          const std::string& first_name,
                                          const std::string& language) {
  return upsert_user(tx, telegram_id, username, first_name, language, true);
}

// user_columns of x, the session's three, and whether the row is due a
// write whatever the names (the condition of existing_user_with_session).
const char* const stored_user_columns =
    "x.id, x.telegram_id, coalesce(x.username, ''), x.first_name, x.language, x.referral_code,"
    " x.referred_by, x.balance, x.balance_currency, x.blocked_bot, x.banned, x.is_admin,"
    " s.fsm_state, s.data::text, s.version,"
    " (x.blocked_bot OR x.last_seen_at < now() - interval '1 minute')";

std::optional<stored_user> read_stored_user(const pqxx::row& r, pqxx::row::size_type first) {
  if (r[first].is_null()) return std::nullopt;
  stored_user out;
  out.known.upserted.user = to_user(r, first);
  out.known.session = session_at(r, first + 12);
  out.due_write = r[first + 15].as<bool>();
  return out;
}

std::optional<user_and_session> unchanged_user(const stored_user& stored,
                                               const std::string& username,
                                               const std::string& first_name) {
  const auto& u = stored.known.upserted.user;
  // A stored username is never '' (written as NULL), so '' stands for none.
  if (stored.due_write || u.username != username || u.first_name != first_name) return std::nullopt;
  return stored.known;
}

upsert_result upsert_user_on_start(pqxx::dbtransaction& tx, int64_t telegram_id,
                                   const std::string& username, const std::string& first_name,
                                   const std::string& language) {
  return upsert_user(tx, telegram_id, username, first_name, language, false).upserted;
}

std::optional<user_row> find_user_by_id(pqxx::dbtransaction& tx, int64_t id) {
  return first_user(db::exec_prepared_sql(
      tx, std::string("SELECT ") + user_columns + " FROM users WHERE id = $1", id));
}

std::optional<user_row> find_user_by_telegram_id(pqxx::dbtransaction& tx, int64_t telegram_id) {
  return first_user(db::exec_prepared_sql(
      tx, std::string("SELECT ") + user_columns + " FROM users WHERE telegram_id = $1",
      telegram_id));
}

std::optional<user_row> find_user_by_referral_code(pqxx::dbtransaction& tx,
                                                   const std::string& code) {
  return first_user(db::exec_prepared_sql(
      tx, std::string("SELECT ") + user_columns + " FROM users WHERE referral_code = $1", code));
}

void set_user_language(pqxx::dbtransaction& tx, int64_t user_id, const std::string& language) {
  db::exec_prepared_sql(tx, "UPDATE users SET language = $2 WHERE id = $1", user_id, language);
}

void set_blocked_bot(pqxx::dbtransaction& tx, int64_t user_id, bool blocked) {
  db::exec_prepared_sql(tx, "UPDATE users SET blocked_bot = $2 WHERE id = $1", user_id, blocked);
}

}  // namespace vpnbot::db
