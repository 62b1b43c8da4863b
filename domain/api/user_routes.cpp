// The user routes: search, card, and the operator's actions on one user.

#include "domain/admin/balance_adjustment.hpp"
#include "domain/admin/key_resend.hpp"
#include "domain/admin/time_grant.hpp"
#include "domain/admin/user_ban.hpp"
#include "domain/admin/user_lookup.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/route_table.hpp"

namespace vpnbot::api {
namespace {

// Runs `act` with the {telegram_id} parameter, or answers 400 naming it.
template <class Act>
api_handler on_user(Act act) {
  return [act](pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer& out) {
    auto id = integer_param("telegram_id", c.params.at("telegram_id"));
    if (auto* bad = std::get_if<http_response>(&id)) return *bad;
    return act(tx, c, std::get<int64_t>(id), out);
  };
}

http_response search(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
  auto q = c.query.find("q");
  if (q == c.query.end() || q->second.empty())
    return bad_field("q", "expected a Telegram id, @username or referral code");
  auto found = nlohmann::json::array();
  for (const auto& u : admin::find_users(tx, q->second)) found.push_back(admin::user_summary(u));
  return json_answer(200, {{"users", found}});
}

http_response card(pqxx::dbtransaction& tx, const api_call&, int64_t id, telegram::outbox_writer&) {
  auto c = admin::user_card(tx, id);
  if (!c) return error_answer(404, "not_found", "no user with Telegram id " + std::to_string(id));
  return json_answer(200, *c);
}

http_response grant(pqxx::dbtransaction& tx, const api_call& c, int64_t id,
                    telegram::outbox_writer&) {
  auto days = integer_field(c, "days");
  if (auto* bad = std::get_if<http_response>(&days)) return *bad;
  auto n = std::get<std::optional<int64_t>>(days);
  if (!n) return bad_field("days", "required");
  return answer_of(admin::grant_days(tx, c.who, id, *n), [](const admin::time_granted& g) {
    return nlohmann::json{{"subscription_id", g.subscription_id},
                          {"expires_at", g.expires_at},
                          {"created", g.created},
                          {"ended", g.ended}};
  });
}

nlohmann::json ban_json(const admin::ban_change& b) {
  return {{"changed", b.changed}, {"subscriptions", b.subscriptions}};
}

http_response ban(pqxx::dbtransaction& tx, const api_call& c, int64_t id,
                  telegram::outbox_writer& out) {
  return answer_of(admin::ban_user(tx, c.who, id, out), ban_json);
}

http_response unban(pqxx::dbtransaction& tx, const api_call& c, int64_t id,
                    telegram::outbox_writer& out) {
  return answer_of(admin::unban_user(tx, c.who, id, out), ban_json);
}

http_response balance(pqxx::dbtransaction& tx, const api_call& c, int64_t id,
                      telegram::outbox_writer&) {
  auto delta = integer_field(c, "delta_minor");
  if (auto* bad = std::get_if<http_response>(&delta)) return *bad;
  auto currency = string_field(c, "currency");
  if (auto* bad = std::get_if<http_response>(&currency)) return *bad;
  auto note = string_field(c, "note");
  if (auto* bad = std::get_if<http_response>(&note)) return *bad;
  auto d = std::get<std::optional<int64_t>>(delta);
  auto cur = std::get<std::optional<std::string>>(currency);
  if (!d) return bad_field("delta_minor", "required");
  if (!cur) return bad_field("currency", "required");
  admin::balance_adjustment a{*d, *cur, std::get<std::optional<std::string>>(note).value_or("")};
  return answer_of(admin::adjust_balance(tx, c.who, id, a), [](const admin::balance_adjusted& b) {
    return nlohmann::json{
        {"balance_minor", b.balance_minor}, {"currency", b.currency}, {"ref", b.ref}};
  });
}

http_response resend(pqxx::dbtransaction& tx, const api_call& c, int64_t id,
                     telegram::outbox_writer& out) {
  return answer_of(admin::resend_key(tx, c.who, id, out), [](const admin::key_resent& k) {
    return nlohmann::json{{"subscription_id", k.subscription_id}, {"messages", k.messages}};
  });
}

}  // namespace

void add_user_routes(std::vector<api_route>& routes) {
  using json = nlohmann::json;
  auto no_body = json(nullptr);
  routes.push_back({"GET",
                    "/api/v1/users",
                    "Find users by Telegram id, @username or referral code",
                    {{"q", "a Telegram id, @username or referral code"}},
                    no_body,
                    search});
  routes.push_back({"GET",
                    "/api/v1/users/{telegram_id}",
                    "A user's card: subscriptions, balance and ledger, payments, referrals",
                    {},
                    no_body,
                    on_user(card)});
  routes.push_back(
      {"POST",
       "/api/v1/users/{telegram_id}/grant",
       "Give (or, negative, take) days of the newest subscription; with none, provision one",
       {},
       json{{"type", "object"},
            {"required", json::array({"days"})},
            {"properties",
             {{"days", {{"type", "integer"}, {"minimum", -3650}, {"maximum", 3650}}}}}},
       on_user(grant)});
  routes.push_back({"POST",
                    "/api/v1/users/{telegram_id}/ban",
                    "Ban: the bot ignores the user, their clients are disabled on the panels",
                    {},
                    no_body,
                    on_user(ban)});
  routes.push_back({"POST",
                    "/api/v1/users/{telegram_id}/unban",
                    "Unban: live subscriptions are enabled again on the panels",
                    {},
                    no_body,
                    on_user(unban)});
  routes.push_back({"POST",
                    "/api/v1/users/{telegram_id}/balance",
                    "Credit or debit the balance through the ledger",
                    {},
                    json{{"type", "object"},
                         {"required", json::array({"delta_minor", "currency"})},
                         {"properties",
                          {{"delta_minor", {{"type", "integer"}}},
                           {"currency", {{"type", "string"}, {"pattern", "^[A-Z]{3,5}$"}}},
                           {"note", {{"type", "string"}, {"maxLength", admin::max_note_length}}}}}},
                    on_user(balance)});
  routes.push_back({"POST",
                    "/api/v1/users/{telegram_id}/resend-key",
                    "Send the newest key (link and QR code) again",
                    {},
                    no_body,
                    on_user(resend)});
}

}  // namespace vpnbot::api
