#include "domain/bot/admin_broadcast_progress.hpp"

#include "adapters/db/prepared.hpp"
#include "domain/broadcasts/broadcast_control.hpp"

namespace vpnbot::telegram::screens {

view progress_view(const texts& catalog, language lang, const broadcasts::progress& p,
                   const std::string& result) {
  auto text = catalog.message(
      lang, "admin.broadcast.progress",
      {{"id", std::to_string(p.id)},
       {"state", catalog.label(lang, "plain.broadcast_state." + std::string(to_string(p.state)))},
       {"sent", std::to_string(p.sent)},
       {"failed", std::to_string(p.failed)},
       {"blocked", std::to_string(p.blocked)},
       {"left", std::to_string(p.left)},
       {"total", std::to_string(p.total)}});
  if (!result.empty()) text = result + "\n\n" + text;
  using op = admin_broadcast::op;
  auto button = [&](std::string_view key, op what) {
    return inline_button::callback(catalog.label(lang, key),
                                   encode_callback(admin_broadcast{p.id, what}).value());
  };
  inline_keyboard kb;
  std::vector<inline_button> controls{button("btn.refresh", op::refresh)};
  if (p.state == broadcasts::run_state::running)
    controls.push_back(button("btn.broadcast_pause", op::pause));
  if (p.state == broadcasts::run_state::paused)
    controls.push_back(button("btn.broadcast_resume", op::resume));
  if (p.state == broadcasts::run_state::running || p.state == broadcasts::run_state::paused)
    controls.push_back(button("btn.broadcast_cancel", op::cancel));
  kb.rows.push_back(std::move(controls));
  kb.rows.push_back({inline_button::callback(catalog.label(lang, "btn.back"),
                                             encode_callback(open_screen{screen::admin}).value())});
  return {std::move(text), std::move(kb)};
}

void remember_progress_message(pqxx::dbtransaction& tx, int64_t broadcast_id, int64_t chat_id,
                               int64_t message_id, language lang, const std::string& shown) {
  db::exec_prepared_sql(tx,
                        "UPDATE broadcasts SET progress_chat_id = $2, progress_message_id = $3,"
                        " progress_language = $4, progress_text = $5, progress_shown_at = now()"
                        " WHERE id = $1",
                        broadcast_id, chat_id, message_id, std::string(code(lang)), shown);
}

int refresh_progress_messages(pqxx::dbtransaction& tx, const texts& catalog, outbox_writer& out,
                              std::chrono::milliseconds interval) {
  // Broadcasts still going, or ended lately (calls on the wire at a cancel
  // still change the numbers), not looked at within the interval.
  auto due = db::exec_prepared_sql(
      tx,
      "SELECT id, progress_chat_id, progress_message_id, progress_language, progress_text"
      " FROM broadcasts WHERE progress_message_id IS NOT NULL"
      " AND (state IN ('running', 'paused') OR finished_at > now() - interval '10 minutes')"
      " AND progress_shown_at <= now() - make_interval(secs => $1::float8 / 1000)"
      " ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
      static_cast<double>(interval.count()));
  int edits = 0;
  for (const auto& row : due) {
    auto id = row[0].as<int64_t>();
    auto now = broadcasts::progress_of(tx, id);
    if (!now) continue;
    auto lang = parse_language(row[3].as<std::string>("")).value_or(language::en);
    auto v = progress_view(catalog, lang, *now);
    if (v.text == row[4].as<std::string>("")) {
      db::exec_prepared_sql(tx, "UPDATE broadcasts SET progress_shown_at = now() WHERE id = $1",
                            id);
      continue;
    }
    out.add(lane::interactive, edit_message_text{.chat_id = row[1].as<int64_t>(),
                                                 .message_id = row[2].as<int64_t>(),
                                                 .text = v.text,
                                                 .mode = parse_mode::html,
                                                 .reply_markup = v.keyboard});
    db::exec_prepared_sql(tx,
                          "UPDATE broadcasts SET progress_text = $2, progress_shown_at = now()"
                          " WHERE id = $1",
                          id, v.text);
    ++edits;
  }
  return edits;
}

}  // namespace vpnbot::telegram::screens
