#include "actors/telegram/conversation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "actors/payments/payment_finalizer.hpp"
#include "actors/subscriptions/provisioning.hpp"
#include "actors/telegram/outbox_writer.hpp"
#include "adapters/db/audit_repository.hpp"
#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/panels_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/referrals_repository.hpp"
#include "adapters/db/sessions_repository.hpp"
#include "adapters/db/stats_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/db/traffic_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/http/url.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/panel/qr_png.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/callback_data.hpp"
#include "adapters/telegram/command.hpp"
#include "adapters/telegram/display.hpp"
#include "adapters/telegram/keyboards.hpp"
#include "adapters/telegram/outbox_queue.hpp"
#include "adapters/telegram/update_parser.hpp"

namespace vpnbot::telegram {
namespace {

// Top-up amounts offered, in minor units of the balance currency.
constexpr int64_t top_up_choices[] = {10000, 30000, 50000, 100000};

struct view {
  std::string text;
  inline_keyboard keyboard;
};

using reply_writer = outbox_writer;

// One update being handled for one known user.
struct turn {
  pqxx::dbtransaction& tx;
  const bot_profile& bot;
  reply_writer& out;
  db::user_row user;
  language lang = language::en;
  int64_t chat_id = 0;
  std::string screen_name = "main";
  nlohmann::json data = nlohmann::json::object();  // the session's, carried across turns
  int64_t session_version = 0;

  const texts& t() const { return *bot.catalog; }
  bool is_admin() const {
    return user.is_admin || std::find(bot.admin_ids.begin(), bot.admin_ids.end(),
                                      user.telegram_id) != bot.admin_ids.end();
  }
};

// The price a plan is shown with: the fiat currency, else Stars, else any.
std::optional<std::pair<std::string, int64_t>> display_price(const turn& t, const db::plan_row& p) {
  for (const auto& c : {t.bot.currency, std::string("XTR")})
    if (auto it = p.def.prices.find(c); it != p.def.prices.end()) return *it;
  if (p.def.prices.empty()) return std::nullopt;
  return *p.def.prices.begin();
}

std::string method_currency(const turn& t, const std::string& method) {
  return method == "stars" ? "XTR" : t.bot.currency;
}

std::string support_url(const std::string& support) {
  if (support.rfind("http://", 0) == 0 || support.rfind("https://", 0) == 0) return support;
  auto name = support;
  if (!name.empty() && name.front() == '@') name.erase(0, 1);
  return "https://t.me/" + name;
}

std::optional<db::plan_row> trial_plan(turn& t) {
  for (auto& p : db::active_plans(t.tx))
    if (p.def.is_trial) return p;
  return std::nullopt;
}

bool offers_trial(turn& t) {
  return trial_plan(t).has_value() && !db::trial_taken(t.tx, t.user.id);
}

view main_view(turn& t, std::string text) {
  auto kb = main_menu(t.t(), t.lang, offers_trial(t), db::active_panels(t.tx).size() > 1);
  if (t.is_admin())
    kb.rows.push_back({inline_button::callback(
        t.t().label(t.lang, "btn.admin"), encode_callback(open_screen{screen::admin}).value())});
  t.screen_name = "main";
  return {std::move(text), std::move(kb)};
}

view main_view(turn& t) {
  return main_view(t, t.t().message(t.lang, "menu.title"));
}

view back_view(turn& t, std::string text) {
  return {std::move(text), back_to_menu(t.t(), t.lang)};
}

view trial_view(turn& t) {
  auto plan = trial_plan(t);
  if (!plan) return back_view(t, t.t().message(t.lang, "trial.unavailable"));
  if (db::trial_taken(t.tx, t.user.id))
    return back_view(t, t.t().message(t.lang, "trial.already_used"));
  auto row = subscriptions::provision(t.tx, t.user.id, *plan, "trial",
                                      "create_client:trial:" + std::to_string(t.user.id));
  if (!row) return back_view(t, t.t().message(t.lang, "trial.already_used"));
  t.screen_name = "trial";
  auto duration = t.t().plural(t.lang, "plural.days", plan->def.duration_days);
  return back_view(t, t.t().message(t.lang, "trial.preparing", {{"duration", duration}}));
}

view buy_view(turn& t) {
  std::vector<plan_option> options;
  for (const auto& p : db::active_plans(t.tx)) {
    if (p.def.is_trial) continue;
    auto price = display_price(t, p);
    if (!price) continue;
    options.push_back({p.def.code, plan_title(p, t.lang),
                       t.t().plural(t.lang, "plural.days", p.def.duration_days),
                       format_price(price->second, price->first)});
  }
  t.screen_name = "buy";
  if (options.empty()) return back_view(t, t.t().message(t.lang, "plans.empty"));
  return {t.t().message(t.lang, "plans.title"), plans_menu(t.t(), t.lang, options).value()};
}

std::optional<db::plan_row> plan_for_sale(turn& t, const std::string& code) {
  auto plan = db::find_plan(t.tx, code);
  if (!plan || !plan->active || plan->def.is_trial) return std::nullopt;
  return plan;
}

view methods_view(turn& t, const std::string& code) {
  auto plan = plan_for_sale(t, code);
  if (!plan) return buy_view(t);
  std::vector<std::string> methods;
  for (const auto& m : t.bot.payment_methods)
    if (plan->def.prices.count(method_currency(t, m))) methods.push_back(m);
  // Money on the balance can buy the plan directly.
  if (t.user.balance > 0 && plan->def.prices.count(t.user.balance_currency))
    methods.push_back("balance");
  auto price = display_price(t, *plan);
  auto kb = payment_methods(t.t(), t.lang, plan->def.code, methods);
  if (!kb || !price) return buy_view(t);
  t.screen_name = "payment_method";
  t.data["plan"] = plan->def.code;
  return {t.t().message(t.lang, "payment.choose_method",
                        {{"plan", plan_title(*plan, t.lang)},
                         {"duration", t.t().plural(t.lang, "plural.days", plan->def.duration_days)},
                         {"price", format_price(price->second, price->first)}}),
          std::move(*kb)};
}

view order_view(turn& t, const std::string& id, const std::string& what, const std::string& price) {
  t.screen_name = "awaiting_payment";
  t.data["payment"] = id;
  inline_keyboard kb{
      {{inline_button::callback(t.t().label(t.lang, "btn.cancel"),
                                encode_callback(cancel_payment{id}).value())},
       {inline_button::callback(t.t().label(t.lang, "btn.main_menu"),
                                encode_callback(open_screen{screen::main}).value())}}};
  return {t.t().message(t.lang, "payment.preparing", {{"plan", what}, {"price", price}}),
          std::move(kb)};
}

// Buying with the balance: a payment, the ledger debit and the finalizer in
// this one transaction; refused when the balance is short, with nothing
// changed but a failed payment on record.
view pay_from_balance(turn& t, const db::plan_row& plan) {
  const auto& currency = t.user.balance_currency;
  auto price = plan.def.prices.find(currency);
  if (price == plan.def.prices.end()) return methods_view(t, plan.def.code);
  db::new_payment p;
  p.user_id = t.user.id;
  p.purpose = "plan";
  p.plan_id = plan.id;
  p.provider = "balance";
  p.amount = price->second;
  p.currency = currency;
  auto id = db::create_payment(t.tx, p);
  auto debit = db::post_ledger_entry(t.tx, t.user.id, -price->second, currency, "purchase",
                                     "purchase:" + id);
  if (debit != db::ledger_outcome::applied) {
    db::mark_payment_if_pending(t.tx, id, "failed");
    return back_view(t, t.t().message(t.lang, "payment.insufficient_balance",
                                      {{"balance", format_price(t.user.balance, currency)},
                                       {"price", format_price(price->second, currency)}}));
  }
  payments::finalizer_context ctx{t.bot.catalog, t.bot.referral_bonus};
  payments::finalize_payment(t.tx, {id, "balance", id, price->second, currency}, ctx, t.out);
  return main_view(t);
}

// A pending payment is the hand-off to the payments subsystem, which issues
// the provider's invoice for it and finalizes it.
view start_payment(turn& t, const std::string& code, const std::string& method) {
  auto plan = plan_for_sale(t, code);
  if (!plan) return buy_view(t);
  if (method == "balance") return pay_from_balance(t, *plan);
  if (std::find(t.bot.payment_methods.begin(), t.bot.payment_methods.end(), method) ==
      t.bot.payment_methods.end())
    return methods_view(t, code);
  auto currency = method_currency(t, method);
  auto price = plan->def.prices.find(currency);
  if (price == plan->def.prices.end()) return methods_view(t, code);
  db::new_payment p;
  p.user_id = t.user.id;
  p.purpose = "plan";
  p.plan_id = plan->id;
  p.provider = method;
  p.amount = price->second;
  p.currency = currency;
  p.ttl_seconds = static_cast<int>(t.bot.payment_ttl.count());
  auto id = db::create_payment(t.tx, p);
  auto title = plan_title(*plan, t.lang);
  auto shown = format_price(price->second, currency);
  if (method == "stars") {
    // Stars are paid inside Telegram: the invoice goes out now, and the
    // successful_payment update comes back to this conversation.
    auto kb = stars_invoice(t.t(), t.lang, shown, id);
    if (kb)
      t.out.add(
          lane::interactive,
          send_invoice{
              .chat_id = t.chat_id,
              .title = t.t().label(t.lang, "invoice.title", {{"plan", title}}),
              .description = t.t().label(
                  t.lang, "invoice.description",
                  {{"duration", t.t().plural(t.lang, "plural.days", plan->def.duration_days)}}),
              .payload = id,
              .provider_token = "",
              .currency = "XTR",
              .prices = {{title, price->second}},
              .reply_markup = std::move(*kb)});
  }
  return order_view(t, id, title, shown);
}

view cancel_view(turn& t, const std::string& payment_id) {
  if (!panel::is_uuid(payment_id)) return main_view(t);
  auto p = db::find_payment_for_update(t.tx, payment_id);
  if (!p || p->user_id != t.user.id || p->status != "pending" ||
      !db::mark_payment_if_pending(t.tx, payment_id, "failed"))
    return main_view(t, t.t().message(t.lang, "payment.not_found"));
  t.data.erase("payment");
  return main_view(t, t.t().message(t.lang, "payment.cancelled"));
}

std::optional<db::subscription_row> own_subscription(turn& t, int64_t id) {
  auto s = db::find_subscription(t.tx, id);
  if (!s || s->user_id != t.user.id) return std::nullopt;
  return s;
}

std::string plan_title_of(turn& t, int64_t plan_id) {
  auto p = db::find_plan_by_id(t.tx, plan_id);
  return p ? plan_title(*p, t.lang) : std::string("VPN");
}

view subscriptions_view(turn& t) {
  auto subs = db::subscriptions_of_user(t.tx, t.user.id);
  t.screen_name = "subscriptions";
  if (subs.empty()) return back_view(t, t.t().message(t.lang, "subs.empty"));
  std::vector<subscription_option> options;
  for (const auto& s : subs)
    options.push_back(
        {s.id, plan_title_of(t, s.plan_id), format_date(t.t(), t.lang, s.expires_at)});
  return {t.t().message(t.lang, "subs.title"), subscriptions_list(t.t(), t.lang, options)};
}

// What the panel last counted, against the plan's limit; "not known yet"
// before the first reading.
std::string traffic_text(turn& t, int64_t subscription_id) {
  auto figures = db::traffic_of(t.tx, subscription_id);
  if (!figures) return t.t().label(t.lang, "subs.traffic_unknown");
  auto used = format_bytes(figures->used_bytes);
  if (figures->limit_bytes == 0)
    return t.t().label(t.lang, "subs.traffic_unlimited", {{"used", used}});
  return t.t().label(t.lang, "subs.traffic_limited",
                     {{"used", used}, {"limit", format_bytes(figures->limit_bytes)}});
}

view subscription_view(turn& t, int64_t id) {
  auto s = own_subscription(t, id);
  if (!s) return subscriptions_view(t);
  std::string status = s->status == "active" && !db::activated(t.tx, s->id) ? "pending" : s->status;
  auto link = db::access_link(t.tx, s->id);
  t.screen_name = "subscription";
  t.data["subscription"] = id;
  return {t.t().message(t.lang, "subs.details",
                        {{"plan", plan_title_of(t, s->plan_id)},
                         {"status", t.t().label(t.lang, "subs.status." + status)},
                         {"expires", format_date(t.t(), t.lang, s->expires_at)},
                         {"traffic", traffic_text(t, s->id)},
                         {"auto_renew", t.t().label(t.lang, s->auto_renew ? "subs.auto_renew.on"
                                                                          : "subs.auto_renew.off")},
                         {"link", link ? *link : t.t().label(t.lang, "subs.link_pending")}}),
          subscription_actions(t.t(), t.lang, s->id, s->auto_renew)};
}

view invite_view(turn& t) {
  auto link = "https://t.me/" + t.bot.username + "?start=" + t.user.referral_code;
  auto stats = db::referral_stats_of(t.tx, t.user.id);
  auto earned = db::total_of_reason(t.tx, t.user.id, "referral_bonus");
  auto share = "https://t.me/share/url?url=" + http::percent_encode(link) +
               "&text=" + http::percent_encode(t.t().label(t.lang, "plain.invite_share"));
  t.screen_name = "invite";
  return {t.t().message(t.lang, "invite.text",
                        {{"bonus", format_price(t.bot.referral_bonus, t.user.balance_currency)},
                         {"link", link},
                         {"count", std::to_string(stats.invited)},
                         {"earned", format_price(earned, t.user.balance_currency)}}),
          invite(t.t(), t.lang, share)};
}

std::string reason_key(const std::string& reason) {
  if (reason == "topup") return "balance.reason.top_up";
  if (reason == "referral_bonus") return "balance.reason.referral_bonus";
  if (reason == "refund") return "balance.reason.refund";
  if (reason == "admin_adjustment") return "balance.reason.adjustment";
  return "balance.reason.purchase";
}

view balance_view(turn& t) {
  std::string ledger;
  auto entries = db::recent_ledger_entries(t.tx, t.user.id, 5);
  if (entries.empty()) {
    ledger = t.t().message(t.lang, "balance.ledger_empty");
  } else {
    ledger = t.t().message(t.lang, "balance.ledger_title");
    for (const auto& e : entries) {
      auto amount =
          (e.delta > 0 ? "+" : "−") + format_price(e.delta > 0 ? e.delta : -e.delta, e.currency);
      ledger += "\n" + t.t().message(t.lang, "balance.ledger_item",
                                     {{"date", format_date(t.t(), t.lang, e.created_at)},
                                      {"amount", amount},
                                      {"reason", t.t().label(t.lang, reason_key(e.reason))}});
    }
  }
  t.screen_name = "balance";
  // The ledger lines are rendered HTML already; the template inserts them raw.
  auto text = t.t().message(
      t.lang, "balance.text",
      {{"amount", format_price(db::balance_of(t.tx, t.user.id), t.user.balance_currency)},
       {"ledger", "\x01"}});
  text.replace(text.find('\x01'), 1, ledger);
  return {std::move(text), balance(t.t(), t.lang)};
}

view top_up_view(turn& t) {
  std::vector<amount_option> amounts;
  for (auto a : top_up_choices) amounts.push_back({a, format_price(a, t.user.balance_currency)});
  t.screen_name = "top_up";
  return {t.t().message(t.lang, "balance.top_up_prompt"), top_up_amounts(t.t(), t.lang, amounts)};
}

view start_top_up(turn& t, int64_t amount) {
  auto allowed = std::find(std::begin(top_up_choices), std::end(top_up_choices), amount) !=
                 std::end(top_up_choices);
  auto method = std::find_if(t.bot.payment_methods.begin(), t.bot.payment_methods.end(),
                             [](const std::string& m) { return m != "stars"; });
  if (!allowed || method == t.bot.payment_methods.end()) return top_up_view(t);
  db::new_payment p;
  p.user_id = t.user.id;
  p.purpose = "topup";
  p.provider = *method;
  p.amount = amount;
  p.currency = t.user.balance_currency;
  p.ttl_seconds = static_cast<int>(t.bot.payment_ttl.count());
  auto id = db::create_payment(t.tx, p);
  return order_view(t, id, t.t().label(t.lang, "btn.top_up"),
                    format_price(amount, t.user.balance_currency));
}

view help_view(turn& t) {
  t.screen_name = "help";
  return {t.t().message(t.lang, "help.text", {{"support", t.bot.support}}),
          help(t.t(), t.lang, support_url(t.bot.support))};
}

view language_view(turn& t) {
  t.screen_name = "language";
  return {t.t().message(t.lang, "language.choose"), language_menu(t.t(), t.lang)};
}

// An admin refunds a Telegram Stars payment: refundStarPayment goes out on
// the transactional lane and the payment is marked refunded in the same
// transaction; the time it bought stays (the operator's call).
view refund_view(turn& t, const std::string& payment_id) {
  auto refused = [&] {
    return back_view(t, t.t().message(t.lang, "admin.refund_refused", {{"payment", payment_id}}));
  };
  if (!panel::is_uuid(payment_id)) return refused();
  auto p = db::find_payment_for_update(t.tx, payment_id);
  if (!p || p->provider != "stars" || p->status != "succeeded" || !p->provider_payment_id)
    return refused();
  auto payer = db::find_user_by_id(t.tx, p->user_id);
  if (!payer || !db::mark_payment_refunded(t.tx, "stars", *p->provider_payment_id))
    return refused();
  t.out.add(lane::transactional,
            refund_star_payment{.user_id = payer->telegram_id,
                                .telegram_payment_charge_id = *p->provider_payment_id});
  db::audit(t.tx, "admin", "stars_refund", "payment:" + p->id,
            nlohmann::json{{"admin", t.user.telegram_id}}.dump());
  return back_view(
      t, t.t().message(t.lang, "admin.refund_requested",
                       {{"price", format_price(p->amount, p->currency)}, {"payment", p->id}}));
}

view location_view(turn& t) {
  auto panels = db::active_panels(t.tx);
  if (panels.size() < 2) return main_view(t);
  std::vector<std::string> names;
  for (const auto& p : panels) names.push_back(p.name);
  std::string chosen;
  if (auto pref = db::preferred_panel(t.tx, t.user.id))
    if (auto p = db::find_panel_by_id(t.tx, *pref); p && p->active) chosen = p->name;
  auto kb = location_menu(t.t(), t.lang, names, chosen);
  if (!kb) return main_view(t);
  t.screen_name = "location";
  return {
      t.t().message(t.lang, "location.choose",
                    {{"current", chosen.empty() ? t.t().label(t.lang, "location.any") : chosen}}),
      std::move(*kb)};
}

view choose_location_view(turn& t, const std::string& name) {
  auto panel = db::find_panel_by_name(t.tx, name);
  if (!panel || !panel->active) return location_view(t);
  db::set_preferred_panel(t.tx, t.user.id, panel->id);
  return main_view(t, t.t().message(t.lang, "location.saved", {{"location", panel->name}}));
}

view admin_view(turn& t) {
  if (!t.is_admin()) return main_view(t);
  auto c = db::count_service(t.tx);
  t.screen_name = "admin";
  return back_view(t, t.t().message(t.lang, "admin.summary",
                                    {{"users", std::to_string(c.users)},
                                     {"active", std::to_string(c.active_subscriptions)},
                                     {"pending", std::to_string(c.pending_payments)}}));
}

view open(turn& t, screen s) {
  switch (s) {
    case screen::main:
      return main_view(t);
    case screen::trial:
      return trial_view(t);
    case screen::buy:
      return buy_view(t);
    case screen::subscriptions:
      return subscriptions_view(t);
    case screen::invite:
      return invite_view(t);
    case screen::balance:
      return balance_view(t);
    case screen::help:
      return help_view(t);
    case screen::language:
      return language_view(t);
    case screen::top_up:
      return top_up_view(t);
    case screen::admin:
      return admin_view(t);
    case screen::location:
      return location_view(t);
  }
  return main_view(t);
}

struct callback_result {
  view v;
  std::optional<std::string> toast;
};

callback_result act(turn& t, const callback_action& action) {
  return std::visit(
      [&](const auto& a) -> callback_result {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, open_screen>) {
          return {open(t, a.to), {}};
        } else if constexpr (std::is_same_v<A, choose_plan>) {
          return {methods_view(t, a.plan), {}};
        } else if constexpr (std::is_same_v<A, choose_method>) {
          return {start_payment(t, a.plan, a.method), {}};
        } else if constexpr (std::is_same_v<A, cancel_payment>) {
          return {cancel_view(t, a.payment), {}};
        } else if constexpr (std::is_same_v<A, open_subscription>) {
          return {subscription_view(t, a.id), {}};
        } else if constexpr (std::is_same_v<A, show_qr>) {
          // The QR code encodes the client's link, which exists once the
          // activation job has created the client on a panel.
          auto s = own_subscription(t, a.id);
          auto link = s ? db::access_link(t.tx, s->id) : std::nullopt;
          auto png = link ? panel::qr_png(*link) : caf::expected<std::string>{caf::error{}};
          if (!link || !png)
            return {subscription_view(t, a.id), t.t().label(t.lang, "subs.key_not_ready")};
          t.out.add(lane::interactive,
                    send_photo{.chat_id = t.chat_id,
                               .png = *png,
                               .filename = "key.png",
                               .caption = t.t().message(t.lang, "subs.qr_caption",
                                                        {{"plan", plan_title_of(t, s->plan_id)}}),
                               .mode = parse_mode::html});
          return {subscription_view(t, a.id), {}};
        } else if constexpr (std::is_same_v<A, renew_subscription>) {
          return {buy_view(t), {}};
        } else if constexpr (std::is_same_v<A, set_auto_renew>) {
          auto s = own_subscription(t, a.id);
          if (s && s->kind == "trial")
            return {subscription_view(t, a.id), t.t().label(t.lang, "subs.trial_no_auto_renew")};
          if (s) db::set_auto_renew(t.tx, s->id, a.on);
          return {subscription_view(t, a.id), {}};
        } else if constexpr (std::is_same_v<A, top_up>) {
          return {start_top_up(t, a.amount), {}};
        } else if constexpr (std::is_same_v<A, choose_location>) {
          return {choose_location_view(t, a.panel), {}};
        } else {
          static_assert(std::is_same_v<A, choose_language>);
          db::set_user_language(t.tx, t.user.id, std::string(code(a.lang)));
          t.lang = a.lang;
          t.user.language = std::string(code(a.lang));
          return {main_view(t, t.t().message(t.lang, "language.changed")), {}};
        }
      },
      action);
}

void send_view(turn& t, const view& v) {
  t.out.add(lane::interactive, send_message{.chat_id = t.chat_id,
                                            .text = v.text,
                                            .mode = parse_mode::html,
                                            .disable_link_preview = true,
                                            .reply_markup = v.keyboard});
}

db::user_row known_user(pqxx::dbtransaction& tx, const user& from) {
  return db::upsert_user_on_start(tx, from.id, from.username.value_or(""), from.first_name,
                                  std::string(code(language_for(from.language_code))))
      .user;
}

turn make_turn(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
               db::user_row user, int64_t chat_id) {
  turn t{tx, bot, out, std::move(user)};
  t.lang = parse_language(t.user.language).value_or(language::en);
  t.chat_id = chat_id;
  if (auto stored = db::load_session(tx, t.user.id)) {
    t.session_version = stored->version;
    auto previous = nlohmann::json::parse(stored->data_json, nullptr, false);
    if (previous.is_object()) t.data = std::move(previous);
  }
  return t;
}

// Saved in the same transaction as everything else the update changed; a
// concurrent incarnation of the session (there should be none) fails here.
void save_turn(turn& t) {
  if (!db::save_session(t.tx, t.user.id, t.screen_name, t.data.dump(), t.session_version))
    throw std::runtime_error("session of user " + std::to_string(t.user.id) +
                             " was saved concurrently");
}

// Telegram Stars: the money has arrived; the finalizer decides what it buys.
std::string handle_successful_payment(pqxx::dbtransaction& tx, const bot_profile& bot,
                                      reply_writer& out, const user& from,
                                      const successful_payment& sp) {
  payments::payment_confirmation c{sp.invoice_payload, "stars", sp.telegram_payment_charge_id,
                                   sp.total_amount, sp.currency};
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

std::string handle_message(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                           const message& m) {
  if (m.chat.type != "private" || !m.from) return "ignored";
  if (m.successful_payment)
    return handle_successful_payment(tx, bot, out, *m.from, *m.successful_payment);
  auto text = m.text.value_or("");
  auto cmd = parse_command(text, bot.username);
  db::upsert_result user =
      db::upsert_user_on_start(tx, m.from->id, m.from->username.value_or(""), m.from->first_name,
                               std::string(code(language_for(m.from->language_code))));
  if (user.user.banned) return "ignored";
  auto t = make_turn(tx, bot, out, user.user, m.chat.id);
  if (cmd && cmd->name == "start") {
    bool referred = false;
    if (auto payload = start_payload(cmd->args); payload && user.created)
      if (auto referrer = db::find_user_by_referral_code(tx, *payload))
        referred =
            db::record_referral(tx, referrer->id, t.user.id) == db::referral_outcome::recorded;
    auto greeting = t.t().message(t.lang, referred ? "greeting.referred" : "greeting",
                                  {{"name", m.from->first_name}});
    send_view(t, main_view(t, greeting));
  } else if (cmd && (cmd->name == "menu")) {
    send_view(t, main_view(t));
  } else if (cmd && cmd->name == "help") {
    send_view(t, help_view(t));
  } else if (cmd && cmd->name == "language") {
    send_view(t, language_view(t));
  } else if (cmd && cmd->name == "refund" && t.is_admin()) {
    send_view(t, refund_view(t, cmd->args));
  } else if (cmd) {
    send_view(t, main_view(t, t.t().message(t.lang, "unknown.command")));
  } else {
    send_view(t, main_view(t));
  }
  save_turn(t);
  return "handled";
}

std::string handle_callback(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                            const callback_query& q) {
  auto user = known_user(tx, q.from);
  if (user.banned) {
    out.add(lane::interactive, answer_callback_query{.callback_query_id = q.id});
    return "ignored";
  }
  auto chat_id = q.message ? chat_of(*q.message).id : q.from.id;
  auto t = make_turn(tx, bot, out, user, chat_id);
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
                                                 .reply_markup = r.v.keyboard});
  else
    send_view(t, r.v);
  save_turn(t);
  return "handled";
}

// Stars: ok only for our pending payment with exactly the amount issued.
std::string handle_pre_checkout(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                                const pre_checkout_query& q) {
  auto user = db::find_user_by_telegram_id(tx, q.from.id);
  std::optional<db::payment_row> p;
  if (user && panel::is_uuid(q.invoice_payload))
    p = db::find_payment_for_update(tx, q.invoice_payload);
  bool ok = p && p->user_id == user->id && p->provider == "stars" && p->status == "pending" &&
            p->currency == q.currency && p->amount == q.total_amount;
  auto lang = user ? parse_language(user->language).value_or(language::en)
                   : language_for(q.from.language_code);
  answer_pre_checkout_query answer{.pre_checkout_query_id = q.id, .ok = ok};
  if (!ok) answer.error_message = bot.catalog->label(lang, "payment.expired");
  out.add(lane::transactional, answer);
  return ok ? "handled" : "refused";
}

std::string dispatch(pqxx::dbtransaction& tx, const bot_profile& bot, reply_writer& out,
                     const update& u) {
  if (u.message) return handle_message(tx, bot, out, *u.message);
  if (u.callback_query) return handle_callback(tx, bot, out, *u.callback_query);
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

}  // namespace

std::optional<handled_update> handle_next_update(pqxx::dbtransaction& tx, const bot_profile& bot,
                                                 int64_t telegram_user_id) {
  auto pending = db::next_pending_update(tx, telegram_user_id, bot.flood_window);
  if (!pending) return std::nullopt;
  handled_update result{pending->update_id, "handled", 0, {}};
  reply_writer out(tx, pending->update_id);
  auto parsed = parse_update(std::string_view(pending->raw_json));
  if (!parsed) {
    db::mark_update_skipped(tx, pending->update_id, "malformed");
    result.outcome = "malformed";
    return result;
  }
  const auto& u = *parsed;
  if (!exempt_from_flood(u) && pending->earlier_in_window >= bot.flood_limit) {
    auto chat = reply_chat(u);
    if (!pending->warned_in_window && chat) {
      out.add(lane::interactive,
              send_message{.chat_id = *chat,
                           .text = bot.catalog->message(language_of(tx, telegram_user_id),
                                                        "flood.warning")});
      result.outcome = "flood_warned";
    } else {
      result.outcome = "flood_dropped";
    }
    // A dropped button press still gets its spinner stopped.
    if (u.callback_query)
      out.add(lane::interactive, answer_callback_query{.callback_query_id = u.callback_query->id});
    db::mark_update_skipped(tx, pending->update_id, result.outcome);
    result.replies = out.count();
    result.outbox_ids = out.ids();
    return result;
  }
  result.outcome = dispatch(tx, bot, out, u);
  if (result.outcome == "handled")
    db::mark_update_handled(tx, pending->update_id);
  else
    db::mark_update_skipped(tx, pending->update_id, result.outcome);
  result.replies = out.count();
  result.outbox_ids = out.ids();
  return result;
}

std::optional<handled_update> give_up_next_update(pqxx::dbtransaction& tx, const bot_profile& bot,
                                                  int64_t telegram_user_id,
                                                  const std::string& reason) {
  auto pending = db::next_pending_update(tx, telegram_user_id, bot.flood_window);
  if (!pending) return std::nullopt;
  reply_writer out(tx, pending->update_id);
  auto parsed = parse_update(std::string_view(pending->raw_json));
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
  db::mark_update_skipped(tx, pending->update_id, "failed: " + reason.substr(0, 200));
  return handled_update{pending->update_id, "failed", out.count(), out.ids()};
}

}  // namespace vpnbot::telegram
