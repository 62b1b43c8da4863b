#include "domain/bot/conversation.hpp"

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "adapters/codec/utf8.hpp"
#include "adapters/db/audit_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/referrals_repository.hpp"
#include "adapters/db/sessions_repository.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/payments/stars.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/command.hpp"
#include "adapters/telegram/update_parser.hpp"
#include "domain/bot/turn.hpp"
#include "domain/payments/payment_finalizer.hpp"

namespace vpnbot::telegram {
namespace {

using namespace screens;

void send_view(turn& t, const view& v) {
  t.out.add(lane::interactive, send_message{.chat_id = t.chat_id,
                                            .text = v.text,
                                            .mode = parse_mode::html,
                                            .disable_link_preview = true,
                                            .reply_markup = v.markup(),
                                            .rendered_markup = v.rendered});
}

// The sender and its session: as the turn's first statement read them when
// nothing is to be written, else through the upsert (one more round trip);
// a sender it found absent is inserted straight away.
db::user_and_session known_user(pqxx::dbtransaction& tx, const user& from,
                                const std::optional<db::stored_user>& stored) {
  auto username = from.username.value_or("");
  auto language = std::string(code(language_for(from.language_code)));
  if (!stored)
    return db::insert_user_with_session(tx, from.id, username, from.first_name, language);
  if (stored->known.upserted.user.telegram_id == from.id)
    if (auto same = db::unchanged_user(*stored, username, from.first_name)) return *same;
  return db::upsert_user_with_session(tx, from.id, username, from.first_name, language);
}

bool at_rest(const std::string& screen_name, const nlohmann::json& data) {
  return screen_name == "main" && data.empty();
}

bool stored_at_rest(const db::user_and_session& known) {
  return known.session && known.session->fsm_state == "main" && known.session->data_json == "{}";
}

turn make_turn(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
               db::user_and_session known, int64_t chat_id) {
  turn t{tx, bot, out, std::move(known.upserted.user)};
  t.lang = parse_language(t.user.language).value_or(language::en);
  t.chat_id = chat_id;
  if (auto& stored = known.session) {
    t.session_version = stored->version;
    auto previous = nlohmann::json::parse(stored->data_json, nullptr, false);
    if (previous.is_object()) t.data = std::move(previous);
  }
  return t;
}

// Saved in the same transaction as everything else the update changed; a
// concurrent incarnation of the session (there should be none) fails here.
// A session that was and stays on the main menu with no data is not
// written again: the most frequent turn (text answered with the menu) then
// costs no session write, and housekeeping never resets such a session, so
// its updated_at does not matter.
void save_turn(turn& t, bool was_at_rest) {
  if (was_at_rest && t.session_version > 0 && at_rest(t.screen_name, t.data)) return;
  if (!db::save_session(t.tx, t.user.id, t.screen_name, t.data.dump(), t.session_version))
    throw std::runtime_error("session of user " + std::to_string(t.user.id) +
                             " was saved concurrently");
}

// Telegram Stars: the money has arrived; the finalizer decides what it buys.
std::string handle_successful_payment(pqxx::dbtransaction& tx, const bot_profile& bot,
                                      reply_writer& out, const user& from,
                                      const successful_payment& sp) {
  payments::payment_confirmation c{sp.invoice_payload, std::string(payments::stars::provider_name),
                                   sp.telegram_payment_charge_id, sp.total_amount, sp.currency};
  payments::finalizer_context ctx{bot.catalog, bot.referral_bonus};
  auto r = payments::finalize_payment(tx, c, ctx, out);
  switch (r.result) {
    case payments::finalize_result::granted:
      return "handled";
    case payments::finalize_result::granted_late:
      return "payment_late";
    case payments::finalize_result::already_final:
      return "payment_replayed";
    case payments::finalize_result::mismatch:
      return "payment_mismatch";
    case payments::finalize_result::unknown_payment:
      break;
  }
  // Money for nothing we issued: kept on record for a refund by an operator.
  db::audit(tx, "telegram", "unknown_stars_payment", "user:" + std::to_string(from.id),
            nlohmann::json{{"payload", sp.invoice_payload},
                           {"charge_id", sp.telegram_payment_charge_id},
                           {"amount", sp.total_amount}}
                .dump());
  return "payment_unknown";
}

// /start, with a deep-link payload or none. "promo_<code>" is a promo code;
// any other payload is a referral code first (recorded for a new user
// only) and, when no user has that referral code, a promo code (told about
// only when it exists). Referral codes are eight characters of a-z and 0-9,
// so "promo_" can never begin one.
view start_view(turn& t, const std::string& args, bool new_user, const std::string& name) {
  constexpr std::string_view promo_prefix = "promo_";
  auto payload = start_payload(args);
  bool referred = false;
  std::optional<std::string> promo;
  if (payload && payload->starts_with(promo_prefix)) {
    auto code = payload->substr(promo_prefix.size());
    promo = promo_reply(t, code).value_or(t.t().message(t.lang, "promo.unknown"));
  } else if (payload) {
    if (auto referrer = db::find_user_by_referral_code(t.tx, *payload))
      referred = new_user && db::record_referral(t.tx, referrer->id, t.user.id) ==
                                 db::referral_outcome::recorded;
    else
      promo = promo_reply(t, *payload);
  }
  auto text = t.t().message(t.lang, referred ? "greeting.referred" : "greeting", {{"name", name}});
  if (promo) text += "\n\n" + *promo;
  return main_view(t, text);
}

// menu: the main menu's facts as the update's statement read them, for the
// replies that show the menu without writing anything first.
std::string handle_message(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                           const message& m, const std::optional<db::stored_user>& stored,
                           const db::menu_facts& menu) {
  if (m.chat.type != "private" || !m.from) return "ignored";
  if (m.successful_payment)
    return handle_successful_payment(tx, bot, out, *m.from, *m.successful_payment);
  auto text = m.text.value_or("");
  auto cmd = parse_command(text, bot.username);
  auto known = known_user(tx, *m.from, stored);
  if (known.upserted.user.banned) return "ignored";
  bool new_user = known.upserted.created;
  bool was_at_rest = stored_at_rest(known);
  auto t = make_turn(tx, bot, out, std::move(known), m.chat.id);
  // Typed text answers the promo or an admin prompt; a command leaves it.
  bool promo_awaited = awaits_promo_code(t);
  bool admin_awaited = awaits_admin_text(t);
  if (cmd) leave_promo_entry(t);
  if (cmd && cmd->name == "start") {
    // A deep link may change what the menu shows (a promo code); a bare
    // /start changes nothing the facts depend on.
    if (cmd->args.empty()) t.menu_facts_read = menu;
    send_view(t, start_view(t, cmd->args, new_user, m.from->first_name));
  } else if (cmd && (cmd->name == "menu")) {
    t.menu_facts_read = menu;
    send_view(t, main_view(t));
  } else if (cmd && cmd->name == "help") {
    send_view(t, help_view(t));
  } else if (cmd && cmd->name == "language") {
    send_view(t, language_view(t));
  } else if (cmd && cmd->name == "admin" && t.is_admin()) {
    send_view(t, admin_view(t));
  } else if (cmd && cmd->name == "refund" && t.is_admin()) {
    send_view(t, refund_view(t, cmd->args));
  } else if (cmd) {
    t.menu_facts_read = menu;
    send_view(t, main_view(t, t.t().message(t.lang, "unknown.command")));
  } else if (promo_awaited) {
    send_view(t, redeem_view(t, text));
  } else if (admin_awaited) {
    send_view(t, admin_text_view(t, text));
  } else {
    t.menu_facts_read = menu;
    send_view(t, main_view(t));
  }
  save_turn(t, was_at_rest);
  return "handled";
}

std::string handle_callback(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                            const callback_query& q, const std::optional<db::stored_user>& stored) {
  auto known = known_user(tx, q.from, stored);
  if (known.upserted.user.banned) {
    out.add(lane::interactive, answer_callback_query{.callback_query_id = q.id});
    return "ignored";
  }
  auto chat_id = q.message ? chat_of(*q.message).id : q.from.id;
  bool was_at_rest = stored_at_rest(known);
  auto t = make_turn(tx, bot, out, std::move(known), chat_id);
  if (q.message && std::holds_alternative<message>(*q.message))
    t.message_id = message_id_of(*q.message);
  // Any button leaves the promo and admin prompts (their own Cancel included).
  leave_promo_entry(t);
  auto action = parse_callback(q.data.value_or(""));
  callback_result r = action
                          ? act(t, *action)
                          : callback_result{main_view(t), t.t().label(t.lang, "callback.expired")};
  out.add(lane::interactive, answer_callback_query{.callback_query_id = q.id, .text = r.toast});
  // Navigation edits the menu message in place; a message the bot can no
  // longer edit (too old, deleted) gets a fresh one instead.
  if (q.message && std::holds_alternative<message>(*q.message))
    out.add(lane::interactive, edit_message_text{.chat_id = chat_id,
                                                 .message_id = message_id_of(*q.message),
                                                 .text = r.v.text,
                                                 .mode = parse_mode::html,
                                                 .disable_link_preview = true,
                                                 .reply_markup = r.v.markup(),
                                                 .rendered_markup = r.v.rendered});
  else
    send_view(t, r.v);
  save_turn(t, was_at_rest);
  return "handled";
}

// Stars: ok only for our pending payment with exactly the amount issued.
std::string handle_pre_checkout(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                                const pre_checkout_query& q) {
  auto user = db::find_user_by_telegram_id(tx, q.from.id);
  std::optional<db::payment_row> p;
  if (user && panel::is_uuid(q.invoice_payload))
    p = db::find_payment_for_update(tx, q.invoice_payload);
  bool ok = p && p->user_id == user->id && p->provider == payments::stars::provider_name &&
            p->status == "pending" && p->currency == q.currency && p->amount == q.total_amount;
  auto lang = user ? parse_language(user->language).value_or(language::en)
                   : language_for(q.from.language_code);
  answer_pre_checkout_query answer{.pre_checkout_query_id = q.id, .ok = ok};
  if (!ok) answer.error_message = bot.catalog->label(lang, "payment.expired");
  out.add(lane::transactional, answer);
  return ok ? "handled" : "refused";
}

// The sender and the menu's facts as the update's statement read them.
std::string dispatch(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                     const update& u, const db::pending_update& pending) {
  const auto& stored = pending.user;
  if (u.message) return handle_message(tx, bot, out, *u.message, stored, pending.menu);
  if (u.callback_query) return handle_callback(tx, bot, out, *u.callback_query, stored);
  if (u.pre_checkout_query) return handle_pre_checkout(tx, bot, out, *u.pre_checkout_query);
  if (u.my_chat_member) {
    const auto& m = *u.my_chat_member;
    if (auto user = db::find_user_by_telegram_id(tx, m.from.id)) {
      if (m.blocked_by_user()) db::set_blocked_bot(tx, user->id, true);
      if (m.unblocked_by_user()) db::set_blocked_bot(tx, user->id, false);
    }
    return "handled";
  }
  return "ignored";
}

// Money and membership events are never dropped by the flood limit.
bool exempt_from_flood(const update& u) {
  return u.pre_checkout_query || u.my_chat_member || (u.message && u.message->successful_payment);
}

std::optional<int64_t> reply_chat(const update& u) {
  if (u.message) return u.message->chat.id;
  if (u.callback_query && u.callback_query->message) return chat_of(*u.callback_query->message).id;
  if (u.callback_query) return u.callback_query->from.id;
  return std::nullopt;
}

language language_of(pqxx::dbtransaction& tx, int64_t telegram_user_id) {
  auto user = db::find_user_by_telegram_id(tx, telegram_user_id);
  return user ? parse_language(user->language).value_or(language::en) : language::en;
}

// One user's update taken up to its finish: what it came to and the
// replies waiting in its writer. The finish (the update's mark and its
// replies) is one statement for every turn taken together.
struct taken_turn {
  handled_update result;
  std::unique_ptr<reply_writer> out;
};

// A turn that did not end "handled" is skipped, its outcome the note.
db::finished_update finished(const taken_turn& t) {
  bool handled = t.result.outcome == "handled";
  return {t.result.update_id, handled ? "handled" : "skipped",
          handled ? std::nullopt : std::optional<std::string>(t.result.outcome),
          &t.out->deferred()};
}

taken_turn take_turn(pqxx::dbtransaction& tx, const bot_profile& bot, const turn_ask& ask,
                     const db::pending_update& pending) {
  taken_turn t{{pending.update_id, "handled", 0, {}, pending.more_pending, {}, {}},
               std::make_unique<reply_writer>(tx, pending.update_id, reply_writer::mode::deferred)};
  auto telegram_user_id = ask.telegram_user_id;
  auto& flood = t.result.flood;
  flood = pending.window ? seeded_flood_memory(*pending.window) : *ask.flood;
  auto verdict = judge_flood(flood, pending.received_us, bot.flood);
  auto& out = *t.out;
  auto parsed = parse_update(std::string_view(pending.raw_json));
  if (!parsed) {
    t.result.outcome = "malformed";
  } else if (!exempt_from_flood(*parsed) && verdict.earlier_in_window >= bot.flood.limit) {
    const auto& u = *parsed;
    auto chat = reply_chat(u);
    if (!verdict.warned_in_window && chat) {
      out.add(lane::interactive,
              send_message{.chat_id = *chat,
                           .text = bot.catalog->message(language_of(tx, telegram_user_id),
                                                        "flood.warning")});
      t.result.outcome = "flood_warned";
    } else {
      t.result.outcome = "flood_dropped";
    }
    // A dropped button press still gets its spinner stopped.
    if (u.callback_query)
      out.add(lane::interactive, answer_callback_query{.callback_query_id = u.callback_query->id});
  } else {
    t.result.outcome = dispatch(tx, bot, out, *parsed, pending);
  }
  remember_update(flood, pending.received_us, t.result.outcome == "flood_warned", bot.flood);
  return t;
}

}  // namespace

std::vector<std::optional<handled_update>> handle_next_updates(pqxx::dbtransaction& tx,
                                                               const bot_profile& bot,
                                                               const std::vector<turn_ask>& asks) {
  std::vector<db::pending_read> reads;
  for (const auto& a : asks) reads.push_back({a.telegram_user_id, !a.flood || !a.flood->known});
  auto pending = db::next_pending_updates(tx, reads, bot.flood);
  std::vector<taken_turn> turns;
  for (std::size_t i = 0; i < pending.size(); ++i)
    if (pending[i]) turns.push_back(take_turn(tx, bot, asks[i], *pending[i]));
  std::vector<db::finished_update> marks;
  for (const auto& t : turns) marks.push_back(finished(t));
  auto ids = db::finish_updates(tx, marks, bot.node);
  std::vector<std::optional<handled_update>> answers;
  auto next = turns.begin();
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i]) {
      answers.emplace_back();
      continue;
    }
    auto& t = *next;
    t.out->assign_ids(std::move(ids[static_cast<std::size_t>(next - turns.begin())]));
    t.result.replies = t.out->count();
    t.result.outbox_ids = t.out->ids();
    t.result.outbox_rows = t.out->take_written();
    answers.emplace_back(std::move(t.result));
    ++next;
  }
  return answers;
}

std::optional<handled_update> handle_next_update(pqxx::dbtransaction& tx, const bot_profile& bot,
                                                 int64_t telegram_user_id,
                                                 const flood_memory* flood) {
  return std::move(handle_next_updates(tx, bot, {{telegram_user_id, flood}}).front());
}

std::optional<handled_update> give_up_next_update(pqxx::dbtransaction& tx, const bot_profile& bot,
                                                  int64_t telegram_user_id,
                                                  const std::string& reason) {
  // Its window is not needed: nothing is counted, and the session forgets
  // what it remembered of it.
  auto pending = db::next_pending_update(tx, {telegram_user_id, false}, bot.flood);
  if (!pending) return std::nullopt;
  auto parsed = parse_update(std::string_view(pending->raw_json));
  if (parsed && parsed->message && parsed->message->successful_payment)
    return handled_update{pending->update_id, "held", 0, {}, pending->more_pending, {}, {}};
  reply_writer out(tx, pending->update_id);
  if (parsed) {
    if (auto chat = reply_chat(*parsed))
      out.add(lane::interactive,
              send_message{.chat_id = *chat,
                           .text = bot.catalog->message(language_of(tx, telegram_user_id),
                                                        "error.generic")});
    if (parsed->callback_query)
      out.add(lane::interactive,
              answer_callback_query{.callback_query_id = parsed->callback_query->id});
  }
  db::mark_update_skipped(tx, pending->update_id,
                          "failed: " + codec::truncate_utf8(reason, 200, codec::text_unit::bytes));
  return handled_update{pending->update_id,    "failed", out.count(), out.ids(),
                        pending->more_pending, {},       {}};
}

}  // namespace vpnbot::telegram
