#pragma once

// Who did it: the HTTP admin API ("api") or an admin in the bot ("admin",
// with their Telegram id). Every action writes one audit row naming them.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::admin {

struct acting_operator {
  std::string actor = "api";
  std::optional<int64_t> admin_telegram_id;

  static acting_operator api() { return {}; }
  static acting_operator bot_admin(int64_t telegram_id) { return {"admin", telegram_id}; }
};

// details gains "admin" (the admin's Telegram id) when there is one.
void audit_action(pqxx::dbtransaction& tx, const acting_operator& who, const std::string& action,
                  const std::string& subject, nlohmann::json details = nlohmann::json::object());

}  // namespace vpnbot::admin
