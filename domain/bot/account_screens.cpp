#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/panels_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/referrals_repository.hpp"
#include "adapters/db/subscription_liveness.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/traffic_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/http/url.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"

namespace vpnbot::telegram::screens {
namespace {

std::string support_url(const std::string& support) {
  if (support.rfind("http://", 0) == 0 || support.rfind("https://", 0) == 0) return support;
  auto name = support;
  if (!name.empty() && name.front() == '@') name.erase(0, 1);
  return "https://t.me/" + name;
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

// The plan's device limit (3x-ui's limitIp: simultaneous IPs).
std::string devices_text(turn& t, int64_t plan_id) {
  auto plan = db::find_plan_by_id(t.tx, plan_id);
  if (!plan || plan->def.device_limit == 0) return t.t().label(t.lang, "subs.devices_unlimited");
  return t.t().label(t.lang, "subs.devices_limited",
                     {{"count", std::to_string(plan->def.device_limit)}});
}

std::string reason_key(const std::string& reason) {
  if (reason == "topup") return "balance.reason.top_up";
  if (reason == "referral_bonus") return "balance.reason.referral_bonus";
  if (reason == "refund") return "balance.reason.refund";
  if (reason == "admin_adjustment") return "balance.reason.adjustment";
  if (reason == "promo") return "balance.reason.promo";
  return "balance.reason.purchase";
}

}  // namespace

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
                         {"devices", devices_text(t, s->plan_id)},
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

view help_view(turn& t) {
  t.screen_name = "help";
  return {t.t().message(t.lang, "help.text", {{"support", t.bot.support}}),
          help(t.t(), t.lang, support_url(t.bot.support))};
}

view language_view(turn& t) {
  t.screen_name = "language";
  return {t.t().message(t.lang, "language.choose"), language_menu(t.t(), t.lang)};
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

}  // namespace vpnbot::telegram::screens
