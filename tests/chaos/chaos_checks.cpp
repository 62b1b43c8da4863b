#include "chaos/chaos_checks.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vpnbot::chaos {
namespace {

std::string id_list(const std::vector<made_payment>& made) {
  std::string ids;
  for (const auto& m : made) ids += (ids.empty() ? "'" : ",'") + m.payment_id + "'";
  return ids.empty() ? "NULL" : ids;
}

}  // namespace

bool has_key_message(const chaos_world& w, int64_t user) {
  return w.observer.count(user, [](const emulators::bot_api_call& c) {
    return (c.method == "sendMessage" || c.method == "sendPhoto") &&
           text_of(c).find("vless://") != std::string::npos;
  }) > 0;
}

std::vector<broken_invariant> run_consistency_query(const chaos_database& db,
                                                    const std::string& sql_file) {
  std::ifstream f(sql_file);
  if (!f) throw std::runtime_error("cannot read " + sql_file);
  std::stringstream sql;
  sql << f.rdbuf();
  std::vector<broken_invariant> out;
  for (const auto& row : db.rows(sql.str()))
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>() + " rows"});
  return out;
}

std::vector<broken_invariant> check_what_the_driver_sees(chaos_world& w,
                                                         const std::vector<made_payment>& made) {
  std::vector<broken_invariant> out;
  for (const auto& m : made) {
    auto status = w.db.scalar("SELECT status FROM payments WHERE id = '" + m.payment_id + "'");
    if (status != "succeeded")
      out.push_back({"payment lost", m.provider + " payment " + m.payment_id + " of user " +
                                         std::to_string(m.user) + " is '" + status + "'"});
  }
  // Each payer's active paid subscription, checked against the panel itself.
  auto subscriptions = w.db.rows(
      "SELECT DISTINCT ON (u.telegram_id) u.telegram_id, s.client_email, s.client_uuid::text"
      " FROM payments p JOIN users u ON u.id = p.user_id"
      " JOIN subscriptions s ON s.user_id = u.id AND s.kind = 'paid' AND s.status = 'active'"
      " WHERE p.id IN (" +
      id_list(made) + ") ORDER BY u.telegram_id, s.expires_at DESC");
  for (const auto& row : subscriptions) {
    auto email = row[1].as<std::string>();
    auto client = w.panel.client(email);
    if (!client || client->id != row[2].as<std::string>() || !client->enable)
      out.push_back({"paid subscription without its client on the panel",
                     "user " + row[0].as<std::string>() + ", client " + email});
  }
  if (subscriptions.size() != made.size())
    out.push_back({"payer without an active paid subscription",
                   std::to_string(made.size() - subscriptions.size()) + " of " +
                       std::to_string(made.size())});
  for (const auto& m : made)
    if (!has_key_message(w, m.user))
      out.push_back({"payer without a key message",
                     "user " + std::to_string(m.user) + " (" + m.provider + ")"});
  return out;
}

bool settled(chaos_world& w, const std::vector<made_payment>& made) {
  auto final_payments = w.db.scalar(
      "SELECT count(*) FROM payments WHERE status <> 'pending'"
      " AND id IN (" +
      id_list(made) + ")");
  if (final_payments != std::to_string(made.size())) return false;
  if (w.db.scalar("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')") != "0")
    return false;
  if (w.db.scalar("SELECT count(*) FROM telegram_outbox WHERE state IN ('queued', 'sending')") !=
      "0")
    return false;
  for (const auto& m : made)
    if (!has_key_message(w, m.user)) return false;
  return true;
}

}  // namespace vpnbot::chaos
