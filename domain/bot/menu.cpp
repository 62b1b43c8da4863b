#include <variant>

#include "adapters/db/menu_facts.hpp"
#include "adapters/db/subscription_liveness.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/qr_png.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/keyboards.hpp"

namespace vpnbot::telegram::screens {

view main_view(turn& t, std::string text) {
  auto facts = t.menu_facts_read ? *t.menu_facts_read : db::read_menu_facts(t.tx, t.user.id);
  t.menu_facts_read.reset();
  const bool trial = facts.trial_on_offer, locations = facts.active_panels > 1;
  t.screen_name = "main";
  if (auto kept = rendered_main_menu(t.t(), t.lang, trial, locations, t.is_admin()))
    return {std::move(text), {}, std::move(kept)};
  return {std::move(text), main_menu(t.t(), t.lang, trial, locations, t.is_admin())};
}

view main_view(turn& t) {
  return main_view(t, t.t().message(t.lang, "menu.title"));
}

view back_view(turn& t, std::string text) {
  return {std::move(text), back_to_menu(t.t(), t.lang)};
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
    case screen::admin_stats:
    case screen::admin_find:
    case screen::admin_broadcast:
    case screen::admin_promos:
    case screen::admin_promo_new:
      return admin_act(t, open_screen{s}).v;
    case screen::location:
      return location_view(t);
    case screen::promo:
      return promo_prompt_view(t);
  }
  return main_view(t);
}

callback_result act(turn& t, const callback_action& action) {
  // admin_act answers anyone not in bot.admin_ids with the main menu.
  if (needs_admin(action)) return admin_act(t, action);
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
          return {start_top_up(t, a.amount, a.method), {}};
        } else if constexpr (std::is_same_v<A, choose_location>) {
          return {choose_location_view(t, a.panel), {}};
        } else if constexpr (!std::is_same_v<A, choose_language>) {
          return admin_act(t, a);
        } else {
          db::set_user_language(t.tx, t.user.id, std::string(code(a.lang)));
          t.lang = a.lang;
          t.user.language = std::string(code(a.lang));
          return {main_view(t, t.t().message(t.lang, "language.changed")), {}};
        }
      },
      action);
}

}  // namespace vpnbot::telegram::screens
