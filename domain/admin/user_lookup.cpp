#include "domain/admin/user_lookup.hpp"

#include "adapters/codec/decimal.hpp"
#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/prepared.hpp"
#include "adapters/db/referrals_repository.hpp"

namespace vpnbot::admin {
namespace {

constexpr int max_found = 20;
constexpr int ledger_shown = 10;
constexpr int payments_shown = 20;

nlohmann::json text_or_null(const pqxx::field& f) {
  return f.is_null() ? nlohmann::json(nullptr) : nlohmann::json(f.as<std::string>());
}

}  // namespace

std::vector<db::user_row> find_users(pqxx::dbtransaction& tx, const std::string& query) {
  std::vector<db::user_row> out;
  if (query.empty()) return out;
  auto name = query.front() == '@' ? query.substr(1) : query;
  auto ids = db::exec_prepared_sql(
      tx,
      "SELECT telegram_id FROM users WHERE telegram_id = $1 OR lower(username) = lower($2) OR"
      " referral_code = $3 ORDER BY id LIMIT $4",
      codec::decimal<int64_t>(query), name, query, max_found);
  for (const auto& row : ids)
    if (auto u = db::find_user_by_telegram_id(tx, row[0].as<int64_t>()))
      out.push_back(std::move(*u));
  return out;
}

nlohmann::json user_summary(const db::user_row& u) {
  return {{"telegram_id", u.telegram_id},
          {"username", u.username},
          {"first_name", u.first_name},
          {"language", u.language},
          {"referral_code", u.referral_code},
          {"balance_minor", u.balance},
          {"balance_currency", u.balance_currency},
          {"banned", u.banned},
          {"blocked_bot", u.blocked_bot}};
}

std::optional<nlohmann::json> user_card(pqxx::dbtransaction& tx, int64_t telegram_id) {
  auto u = db::find_user_by_telegram_id(tx, telegram_id);
  if (!u) return std::nullopt;
  auto card = user_summary(*u);
  auto subs = nlohmann::json::array();
  for (const auto& r : db::exec_prepared_sql(
           tx,
           "SELECT s.id, s.kind, s.status, to_char(s.expires_at AT TIME ZONE 'UTC',"
           " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), p.name, s.auto_renew, s.access_link IS NOT NULL,"
           " pl.code, pl.titles::text FROM subscriptions s LEFT JOIN panels p ON p.id = s.panel_id "
           "JOIN plans pl"
           " ON pl.id = s.plan_id WHERE s.user_id = $1 ORDER BY s.id DESC",
           u->id))
    subs.push_back({{"id", r[0].as<int64_t>()},
                    {"kind", r[1].as<std::string>()},
                    {"status", r[2].as<std::string>()},
                    {"expires_at", r[3].as<std::string>()},
                    {"panel", text_or_null(r[4])},
                    {"auto_renew", r[5].as<bool>()},
                    {"key_issued", r[6].as<bool>()},
                    {"plan", r[7].as<std::string>()},
                    {"plan_titles", nlohmann::json::parse(r[8].as<std::string>())}});
  card["subscriptions"] = std::move(subs);
  auto ledger = nlohmann::json::array();
  for (const auto& e : db::recent_ledger_entries(tx, u->id, ledger_shown))
    ledger.push_back({{"delta_minor", e.delta},
                      {"currency", e.currency},
                      {"reason", e.reason},
                      {"ref", e.ref},
                      {"at", e.created_at}});
  card["ledger"] = std::move(ledger);
  auto payments = nlohmann::json::array();
  for (const auto& r : db::exec_prepared_sql(
           tx,
           "SELECT id::text, purpose, provider, amount, currency, status, to_char(created_at AT"
           " TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM payments WHERE user_id = $1"
           " ORDER BY created_at DESC, id LIMIT $2",
           u->id, payments_shown))
    payments.push_back({{"id", r[0].as<std::string>()},
                        {"purpose", r[1].as<std::string>()},
                        {"provider", r[2].as<std::string>()},
                        {"amount_minor", r[3].as<int64_t>()},
                        {"currency", r[4].as<std::string>()},
                        {"status", r[5].as<std::string>()},
                        {"created_at", r[6].as<std::string>()}});
  card["payments"] = std::move(payments);
  auto stats = db::referral_stats_of(tx, u->id);
  nlohmann::json referred_by = nullptr;
  if (u->referred_by)
    if (auto referrer = db::find_user_by_id(tx, *u->referred_by))
      referred_by = referrer->telegram_id;
  card["referrals"] = {{"invited", stats.invited},
                       {"bonuses_granted", stats.bonuses_granted},
                       {"referred_by", referred_by}};
  return card;
}

}  // namespace vpnbot::admin
