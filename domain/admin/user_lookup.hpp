#pragma once

// Finding users the way an operator knows them: a Telegram id, an
// @username (case-insensitive, with or without the @) or a referral code;
// and the card of one user (subscriptions with expiry and panel, balance
// and the last ledger entries, payments, referrals).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/db/users_repository.hpp"

namespace vpnbot::admin {

// At most 20 users, exact matches only; an empty query finds nobody.
std::vector<db::user_row> find_users(pqxx::dbtransaction& tx, const std::string& query);

nlohmann::json user_summary(const db::user_row& u);

// nullopt for an unknown Telegram id.
std::optional<nlohmann::json> user_card(pqxx::dbtransaction& tx, int64_t telegram_id);

}  // namespace vpnbot::admin
