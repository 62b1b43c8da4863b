#include "domain/broadcasts/broadcast_control.hpp"

#include <algorithm>

#include "adapters/db/prepared.hpp"
#include "adapters/telegram/html_markup.hpp"
#include "domain/broadcasts/broadcast_message.hpp"

namespace vpnbot::broadcasts {
namespace {

using telegram::fail;

refusal not_found(int64_t id) {
  return {refusal::kind::not_found, {}, "no broadcast " + std::to_string(id)};
}

// Telegram's own limits on the text and the button, checked once here so
// that no recipient's call is refused later.
std::optional<refusal> check(const broadcast_spec& spec) {
  if (spec.segment == segment::language) {
    if (!spec.language || (*spec.language != "en" && *spec.language != "ru"))
      return refusal::invalid_field("language", "the language segment needs \"en\" or \"ru\"");
  } else if (spec.language) {
    return refusal::invalid_field("language", "a language is only for the language segment");
  }
  if (spec.button && spec.button->text.empty())
    return refusal::invalid_field("button", "the button needs a text");
  if (auto problem = telegram::html_markup_problem(spec.text))
    return refusal::invalid_field("text", *problem);
  auto built = outbox_row(1, spec);
  if (!built) {
    auto field = built.error().find("reply_markup") != std::string::npos ||
                         built.error().find("keyboard") != std::string::npos ||
                         built.error().find("button") != std::string::npos
                     ? "button"
                     : "text";
    return refusal::invalid_field(field, built.error());
  }
  return std::nullopt;
}

// The segment's users, blocked and banned ones left out. One fixed text, so
// PostgreSQL plans it once per connection.
constexpr const char* materialise_sql = R"(
INSERT INTO broadcast_recipients (broadcast_id, user_id, chat_id)
SELECT $1, u.id, u.telegram_id FROM users u
 WHERE NOT u.blocked_bot AND NOT u.banned
   AND CASE $2::text
     WHEN 'all' THEN true
     WHEN 'active_paid' THEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id
                                       AND s.kind = 'paid' AND s.status = 'active'
                                       AND s.expires_at > now())
     WHEN 'trial' THEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id
                                 AND s.kind = 'trial' AND s.status = 'active'
                                 AND s.expires_at > now())
                   AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id
                                     AND s.kind = 'paid' AND s.status = 'active'
                                     AND s.expires_at > now())
     WHEN 'expired' THEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id)
                     AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id
                                       AND s.status = 'active' AND s.expires_at > now())
     WHEN 'never_paid' THEN NOT EXISTS (SELECT 1 FROM payments p WHERE p.user_id = u.id
                                          AND p.status IN ('succeeded', 'refunded'))
     WHEN 'language' THEN u.language = $3
     ELSE false
   END)";

run_state state_of(const pqxx::field& f) {
  return run_state_from(f.as<std::string>()).value_or(run_state::done);
}

// Moves the broadcast from one of `from` to `to`; the same state again is
// no change; any other is a conflict.
outcome<progress> move(pqxx::dbtransaction& tx, int64_t id, std::initializer_list<run_state> from,
                       run_state to) {
  auto row = db::exec_prepared_sql(tx, "SELECT state FROM broadcasts WHERE id = $1 FOR UPDATE", id);
  if (row.empty()) return fail(not_found(id));
  auto now = state_of(row[0][0]);
  if (now != to) {
    if (std::find(from.begin(), from.end(), now) == from.end())
      return fail(
          refusal{refusal::kind::conflict,
                  {},
                  "broadcast " + std::to_string(id) + " is " + std::string(to_string(now))});
    db::exec_prepared_sql(tx,
                          "UPDATE broadcasts SET state = $2, updated_at = now(),"
                          " finished_at = CASE WHEN $2 IN ('cancelled', 'done') THEN now() END"
                          " WHERE id = $1",
                          id, std::string(to_string(to)));
  }
  return progress_of(tx, id);
}

}  // namespace

outcome<created> create(pqxx::dbtransaction& tx, const broadcast_spec& spec) {
  if (auto bad = check(spec)) return fail(std::move(*bad));
  std::optional<std::string> button_text, button_url;
  if (spec.button) {
    button_text = spec.button->text;
    button_url = spec.button->url;
  }
  auto id = db::exec_prepared_sql1(
                tx,
                "INSERT INTO broadcasts (text, button_text, button_url, button_menu, segment,"
                " language, paid, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                spec.text, button_text, button_url, spec.button && !spec.button->url,
                std::string(to_string(spec.segment)), spec.language, spec.paid, spec.created_by)[0]
                .as<int64_t>();
  auto total = db::exec_prepared_sql(tx, materialise_sql, id, std::string(to_string(spec.segment)),
                                     spec.language.value_or(""))
                   .affected_rows();
  db::exec_prepared_sql(tx, "UPDATE broadcasts SET total = $2 WHERE id = $1", id,
                        static_cast<int64_t>(total));
  return created{id, static_cast<int64_t>(total)};
}

outcome<progress> progress_of(pqxx::dbtransaction& tx, int64_t id) {
  auto rows = db::exec_prepared_sql(tx,
                                    "SELECT b.state, b.total,"
                                    " count(*) FILTER (WHERE r.state = 'sent'),"
                                    " count(*) FILTER (WHERE r.state = 'failed'),"
                                    " count(*) FILTER (WHERE r.state = 'blocked'),"
                                    " count(*) FILTER (WHERE r.state = 'in_doubt'),"
                                    " count(*) FILTER (WHERE r.state = 'cancelled'),"
                                    " count(*) FILTER (WHERE r.state IN ('pending', 'queued'))"
                                    " FROM broadcasts b"
                                    " LEFT JOIN broadcast_recipients r ON r.broadcast_id = b.id"
                                    " WHERE b.id = $1 GROUP BY b.id",
                                    id);
  if (rows.empty()) return fail(not_found(id));
  const auto& r = rows[0];
  return progress{.id = id,
                  .state = state_of(r[0]),
                  .total = r[1].as<int64_t>(),
                  .sent = r[2].as<int64_t>(),
                  .failed = r[3].as<int64_t>(),
                  .blocked = r[4].as<int64_t>(),
                  .in_doubt = r[5].as<int64_t>(),
                  .cancelled = r[6].as<int64_t>(),
                  .left = r[7].as<int64_t>()};
}

outcome<progress> pause(pqxx::dbtransaction& tx, int64_t id) {
  return move(tx, id, {run_state::running}, run_state::paused);
}

outcome<progress> resume(pqxx::dbtransaction& tx, int64_t id) {
  return move(tx, id, {run_state::paused}, run_state::running);
}

outcome<progress> cancel(pqxx::dbtransaction& tx, int64_t id) {
  auto moved = move(tx, id, {run_state::running, run_state::paused}, run_state::cancelled);
  if (!moved) return moved;
  db::exec_prepared_sql(tx,
                        "UPDATE broadcast_recipients SET state = 'cancelled'"
                        " WHERE broadcast_id = $1 AND state = 'pending'",
                        id);
  return progress_of(tx, id);
}

}  // namespace vpnbot::broadcasts
