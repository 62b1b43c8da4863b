// The admin menu, the routing of admin buttons and typed text, and the
// Stars-only /refund command.

#include <nlohmann/json.hpp>

#include "adapters/db/audit_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/payments/stars.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/payments/refund.hpp"

namespace vpnbot::telegram::screens {
namespace {

constexpr std::string_view admin_prefix = "admin_";

inline_button go(turn& t, std::string_view key, screen s) {
  return inline_button::callback(t.t().label(t.lang, key), encode_callback(open_screen{s}).value());
}

}  // namespace

admin::acting_operator operator_of(const turn& t) {
  return admin::acting_operator::bot_admin(t.user.telegram_id);
}

view admin_view(turn& t) {
  if (!t.is_admin()) return main_view(t);
  t.screen_name = "admin";
  return {t.t().message(t.lang, "admin.menu"),
          {{{go(t, "btn.admin_stats", screen::admin_stats),
             go(t, "btn.admin_find", screen::admin_find)},
            {go(t, "btn.admin_broadcast", screen::admin_broadcast),
             go(t, "btn.admin_promos", screen::admin_promos)},
            {go(t, "btn.main_menu", screen::main)}}}};
}

view admin_prompt(turn& t, const std::string& awaiting, std::string text, screen back) {
  t.screen_name = "admin";
  t.data[awaiting_key] = awaiting;
  return {std::move(text), {{{go(t, "btn.cancel", back)}}}};
}

callback_result admin_act(turn& t, const callback_action& action) {
  if (!t.is_admin()) return {main_view(t), {}};
  t.screen_name = "admin";
  return std::visit(
      [&](const auto& a) -> callback_result {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, open_screen>) {
          switch (a.to) {
            case screen::admin_stats:
              return {admin_stats_view(t), {}};
            case screen::admin_find:
              return {find_user_prompt(t), {}};
            case screen::admin_broadcast:
              return {broadcast_prompt(t), {}};
            case screen::admin_promos:
              return {promo_list_view(t), {}};
            case screen::admin_promo_new:
              return {promo_new_prompt(t), {}};
            default:
              return {admin_view(t), {}};
          }
        } else if constexpr (std::is_same_v<A, admin_user>) {
          return {user_action_view(t, a), {}};
        } else if constexpr (std::is_same_v<A, admin_refund>) {
          return {refund_payment_view(t, a), {}};
        } else if constexpr (std::is_same_v<A, admin_draft>) {
          return {broadcast_choice_view(t, a.choice), {}};
        } else if constexpr (std::is_same_v<A, admin_broadcast>) {
          return {broadcast_control_view(t, a), {}};
        } else if constexpr (std::is_same_v<A, admin_promo_disable>) {
          return {promo_disable_view(t, a.code), {}};
        } else {
          return {admin_view(t), {}};
        }
      },
      action);
}

bool awaits_admin_text(const turn& t) {
  return t.is_admin() && t.data.value(awaiting_key, "").starts_with(admin_prefix);
}

view admin_text_view(turn& t, const std::string& text) {
  auto awaited = t.data.value(awaiting_key, "");
  if (awaited == "admin_find") return find_user_view(t, text);
  if (awaited == "admin_balance") return balance_text_view(t, text);
  if (awaited == "admin_broadcast") return broadcast_text_view(t, text);
  if (awaited == "admin_broadcast_url") return broadcast_url_view(t, text);
  if (awaited == "admin_promo") return promo_line_view(t, text);
  t.data.erase(awaiting_key);
  return admin_view(t);
}

view refund_view(turn& t, const std::string& payment_id) {
  auto refused = [&] {
    return back_view(t, t.t().message(t.lang, "admin.refund_refused", {{"payment", payment_id}}));
  };
  if (!panel::is_uuid(payment_id)) return refused();
  auto p = db::find_payment_for_update(t.tx, payment_id);
  if (!p || p->provider != payments::stars::provider_name || p->status != "succeeded" ||
      !p->provider_payment_id)
    return refused();
  auto payer = db::find_user_by_id(t.tx, p->user_id);
  if (!payer) return refused();
  // Telegram refunds the whole charge, and the charge id is the refund's id.
  auto taken = payments::take_back(t.tx,
                                   {std::string(payments::stars::provider_name),
                                    *p->provider_payment_id, p->id, p->amount, p->currency},
                                   t.t(), t.out);
  if (taken.result != payments::refund_result::taken_back) return refused();
  t.out.add(lane::transactional,
            refund_star_payment{.user_id = payer->telegram_id,
                                .telegram_payment_charge_id = *p->provider_payment_id});
  db::audit(t.tx, "admin", "stars_refund", "payment:" + p->id,
            nlohmann::json{{"admin", t.user.telegram_id}}.dump());
  return back_view(
      t, t.t().message(t.lang, "admin.refund_requested",
                       {{"price", format_price(p->amount, p->currency)}, {"payment", p->id}}));
}

}  // namespace vpnbot::telegram::screens
