// Finding a user (admin::find_users) and their card (admin::user_card) with
// the operator's actions on it; each action is the admin:: function (which
// audits it with the admin's id) and answers with the card again, the
// result on top.

#include <type_traits>
#include <variant>

#include "adapters/payments/money.hpp"
#include "domain/admin/balance_adjustment.hpp"
#include "domain/admin/key_resend.hpp"
#include "domain/admin/payment_admin.hpp"
#include "domain/admin/time_grant.hpp"
#include "domain/admin/user_ban.hpp"
#include "domain/admin/user_lookup.hpp"
#include "domain/bot/admin_balance_line.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"

namespace vpnbot::telegram::screens {
namespace {

using json = nlohmann::json;

constexpr std::size_t ledger_shown = 5;
constexpr std::size_t payments_shown = 5;
constexpr std::size_t refunds_offered = 5;

std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The plan's title in the admin's language, else in English, else its code.
std::string plan_of(const turn& t, const json& subscription) {
  auto titles = subscription.value("plan_titles", json::object());
  std::string admin_language(code(t.lang));
  for (const std::string& lang : {admin_language, std::string("en")})
    if (auto it = titles.find(lang); it != titles.end() && it->is_string())
      return it->get<std::string>();
  return text_of(subscription, "plan");
}

std::string refused(turn& t, const admin::action_error& e) {
  return t.t().message(t.lang, "admin.result.refused", {{"reason", e.message}});
}

std::string card_text(turn& t, const json& card) {
  const auto& tx = t.t();
  auto l = t.lang;
  auto username = text_of(card, "username");
  std::string out = tx.message(l, "admin.card.head",
                               {{"name", text_of(card, "first_name")},
                                {"username", username.empty() ? "—" : "@" + username},
                                {"id", std::to_string(card["telegram_id"].get<int64_t>())},
                                {"language", text_of(card, "language")},
                                {"code", text_of(card, "referral_code")}});
  if (card["banned"].get<bool>()) out += "\n" + tx.message(l, "admin.card.banned");
  if (card["blocked_bot"].get<bool>()) out += "\n" + tx.message(l, "admin.card.blocked_bot");
  out += "\n\n" + tx.message(l, "admin.card.subscriptions");
  for (const auto& s : card["subscriptions"])
    out += "\n" + tx.message(l, "admin.card.subscription",
                             {{"id", std::to_string(s["id"].get<int64_t>())},
                              {"plan", plan_of(t, s)},
                              {"kind", text_of(s, "kind")},
                              {"status", text_of(s, "status")},
                              {"expires", format_date(tx, l, text_of(s, "expires_at"))},
                              {"panel", s["panel"].is_string() ? text_of(s, "panel") : "—"}});
  if (card["subscriptions"].empty()) out += "\n—";
  auto currency = text_of(card, "balance_currency");
  out += "\n\n" +
         tx.message(l, "admin.card.balance",
                    {{"balance", format_price(card["balance_minor"].get<int64_t>(), currency)}});
  std::size_t shown = 0;
  for (const auto& e : card["ledger"]) {
    if (shown++ == ledger_shown) break;
    auto delta = e["delta_minor"].get<int64_t>();
    out += "\n" +
           tx.message(l, "admin.card.ledger",
                      {{"delta", (delta > 0 ? "+" : "−") + format_price(delta > 0 ? delta : -delta,
                                                                        text_of(e, "currency"))},
                       {"reason", text_of(e, "reason")},
                       {"date", format_date(tx, l, text_of(e, "at"))}});
  }
  out += "\n\n" + tx.message(l, "admin.card.payments");
  shown = 0;
  for (const auto& p : card["payments"]) {
    if (shown++ == payments_shown) break;
    out += "\n" +
           tx.message(
               l, "admin.card.payment",
               {{"price", format_price(p["amount_minor"].get<int64_t>(), text_of(p, "currency"))},
                {"provider", text_of(p, "provider")},
                {"status", text_of(p, "status")},
                {"date", format_date(tx, l, text_of(p, "created_at"))}});
  }
  if (card["payments"].empty()) out += "\n—";
  const auto& refs = card["referrals"];
  out += "\n\n" + tx.message(l, "admin.card.referrals",
                             {{"invited", std::to_string(refs["invited"].get<int64_t>())},
                              {"bonuses", std::to_string(refs["bonuses_granted"].get<int64_t>())}});
  return out;
}

inline_keyboard card_keyboard(turn& t, const json& card) {
  auto id = card["telegram_id"].get<int64_t>();
  auto label = [&](std::string_view key, int64_t days = 0) {
    return t.t().label(t.lang, key, {{"days", std::to_string(days)}});
  };
  using op = admin_user::op;
  inline_keyboard kb;
  kb.rows.push_back({callback_button(label("btn.admin_grant", 7), admin_user{id, op::grant, 7}),
                     callback_button(label("btn.admin_grant", 30), admin_user{id, op::grant, 30}),
                     callback_button(label("btn.admin_grant", 90), admin_user{id, op::grant, 90})});
  kb.rows.push_back({callback_button(label("btn.admin_take", 7), admin_user{id, op::take, 7}),
                     callback_button(label("btn.admin_take", 30), admin_user{id, op::take, 30})});
  bool banned = card["banned"].get<bool>();
  kb.rows.push_back({callback_button(label("btn.admin_balance"), admin_user{id, op::balance, 0}),
                     callback_button(label(banned ? "btn.admin_unban" : "btn.admin_ban"),
                                     admin_user{id, banned ? op::unban : op::ban, 0})});
  kb.rows.push_back(
      {callback_button(label("btn.admin_resend_key"), admin_user{id, op::resend_key, 0})});
  std::size_t offered = 0;
  for (const auto& p : card["payments"]) {
    if (text_of(p, "status") != "succeeded" || offered == refunds_offered) continue;
    auto data = encode_callback(admin_refund{id, text_of(p, "id")});
    if (!data) continue;
    ++offered;
    kb.rows.push_back({inline_button::callback(
        t.t().label(
            t.lang, "btn.admin_refund",
            {{"price", format_price(p["amount_minor"].get<int64_t>(), text_of(p, "currency"))},
             {"provider", text_of(p, "provider")},
             {"date", format_date(t.t(), t.lang, text_of(p, "created_at"))}}),
        std::move(*data))});
  }
  kb.rows.push_back(
      {callback_button(label("btn.admin_find_another"), open_screen{screen::admin_find}),
       callback_button(label("btn.back"), open_screen{screen::admin})});
  return kb;
}

std::string trimmed(const std::string& s) {
  auto first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

std::string granted_text(turn& t, const admin::time_granted& g, int64_t days) {
  return t.t().message(t.lang, days > 0 ? "admin.result.granted" : "admin.result.taken",
                       {{"duration", t.t().plural(t.lang, "plural.days", days > 0 ? days : -days)},
                        {"id", std::to_string(g.subscription_id)},
                        {"expires", format_date(t.t(), t.lang, g.expires_at)}});
}

}  // namespace

view find_user_prompt(turn& t) {
  return admin_prompt(t, "admin_find", t.t().message(t.lang, "admin.find.prompt"), screen::admin);
}

view find_user_view(turn& t, const std::string& query) {
  auto found = admin::find_users(t.tx, trimmed(query));
  if (found.empty()) {
    auto v = find_user_prompt(t);
    v.text = t.t().message(t.lang, "admin.find.nobody", {{"query", trimmed(query)}});
    return v;
  }
  t.data.erase(awaiting_key);
  if (found.size() == 1) return user_card_view(t, found.front().telegram_id);
  inline_keyboard kb;
  for (const auto& u : found)
    kb.rows.push_back(
        {callback_button(u.first_name + (u.username.empty() ? "" : " @" + u.username) + " · " +
                             std::to_string(u.telegram_id),
                         admin_user{u.telegram_id, admin_user::op::card, 0})});
  kb.rows.push_back({callback_button(t.t().label(t.lang, "btn.back"), open_screen{screen::admin})});
  return {t.t().message(t.lang, "admin.find.many", {{"count", std::to_string(found.size())}}),
          std::move(kb)};
}

view user_card_view(turn& t, int64_t telegram_id, const std::string& result) {
  auto card = admin::user_card(t.tx, telegram_id);
  if (!card) {
    auto v = admin_view(t);
    v.text = t.t().message(t.lang, "admin.find.gone", {{"id", std::to_string(telegram_id)}}) +
             "\n\n" + v.text;
    return v;
  }
  auto text = card_text(t, *card);
  return {result.empty() ? text : result + "\n\n" + text, card_keyboard(t, *card)};
}

view user_action_view(turn& t, const admin_user& a) {
  using op = admin_user::op;
  auto who = operator_of(t);
  auto id = a.telegram_id;
  std::string result;
  switch (a.what) {
    case op::card:
      break;
    case op::grant:
    case op::take: {
      auto days = a.what == op::grant ? a.days : -a.days;
      auto r = admin::grant_days(t.tx, who, id, days);
      result = r ? granted_text(t, *r, days) : refused(t, r.error());
      break;
    }
    case op::balance: {
      t.data["admin_user"] = id;
      auto currency = db::find_user_by_telegram_id(t.tx, id);
      return admin_prompt(
          t, "admin_balance",
          t.t().message(t.lang, "admin.balance.prompt",
                        {{"currency", currency ? currency->balance_currency : std::string()}}),
          screen::admin);
    }
    case op::ban:
    case op::unban: {
      auto r = a.what == op::ban ? admin::ban_user(t.tx, who, id, t.out)
                                 : admin::unban_user(t.tx, who, id, t.out);
      if (!r)
        result = refused(t, r.error());
      else if (!r->changed)
        result = t.t().message(t.lang, "admin.result.unchanged");
      else
        result = t.t().message(t.lang,
                               a.what == op::ban ? "admin.result.banned" : "admin.result.unbanned",
                               {{"count", std::to_string(r->subscriptions)}});
      break;
    }
    case op::resend_key: {
      auto r = admin::resend_key(t.tx, who, id, t.out);
      result = r ? t.t().message(t.lang, "admin.result.key_sent",
                                 {{"id", std::to_string(r->subscription_id)}})
                 : refused(t, r.error());
      break;
    }
  }
  return user_card_view(t, id, result);
}

view refund_payment_view(turn& t, const admin_refund& a) {
  auto r = admin::refund_payment(t.tx, operator_of(t), a.payment, std::nullopt, t.out);
  if (!r) return user_card_view(t, a.telegram_id, refused(t, r.error()));
  // Stars are refunded in this turn; a provider's refund is a request the
  // payments subtree makes at the provider.
  auto result = std::visit(
      [&](const auto& done) {
        using T = std::decay_t<decltype(done)>;
        if constexpr (std::is_same_v<T, admin::payment_refunded>)
          return t.t().message(t.lang, "admin.result.refunded",
                               {{"price", format_price(done.amount_minor, done.currency)},
                                {"payment", done.payment_id}});
        else
          return t.t().message(t.lang, "admin.result.refund_requested",
                               {{"price", format_price(done.amount_minor, done.currency)},
                                {"payment", done.payment_id},
                                {"provider", done.provider}});
      },
      *r);
  return user_card_view(t, a.telegram_id, result);
}

// The typed adjustment (admin_balance_line.hpp) for the user the prompt
// was opened for.
view balance_text_view(turn& t, const std::string& text) {
  auto id = t.data.value("admin_user", int64_t{0});
  auto u = db::find_user_by_telegram_id(t.tx, id);
  if (!u) {
    t.data.erase(awaiting_key);
    return admin_view(t);
  }
  auto again = [&](const std::string& problem) {
    return admin_prompt(
        t, "admin_balance",
        problem + "\n\n" +
            t.t().message(t.lang, "admin.balance.prompt", {{"currency", u->balance_currency}}),
        screen::admin);
  };
  auto exponent = payments::currency_exponent(u->balance_currency);
  auto line = exponent ? parse_balance_line(text, *exponent) : std::nullopt;
  if (!line) return again(t.t().message(t.lang, "admin.balance.bad"));
  auto r = admin::adjust_balance(
      t.tx, operator_of(t), id,
      {.delta_minor = line->delta_minor, .currency = u->balance_currency, .note = line->note});
  if (!r) return again(refused(t, r.error()));
  t.data.erase(awaiting_key);
  auto size = line->delta_minor > 0 ? line->delta_minor : -line->delta_minor;
  return user_card_view(t, id,
                        t.t().message(t.lang, "admin.result.balance",
                                      {{"delta", (line->delta_minor > 0 ? "+" : "−") +
                                                     format_price(size, u->balance_currency)},
                                       {"balance", format_price(r->balance_minor, r->currency)}}));
}

}  // namespace vpnbot::telegram::screens
