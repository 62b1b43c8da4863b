#include <nlohmann/json.hpp>

#include "adapters/db/audit_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/stats_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/payments/stars.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/payments/refund.hpp"

namespace vpnbot::telegram::screens {

view admin_view(turn& t) {
  if (!t.is_admin()) return main_view(t);
  auto c = db::count_service(t.tx);
  t.screen_name = "admin";
  return back_view(t, t.t().message(t.lang, "admin.summary",
                                    {{"users", std::to_string(c.users)},
                                     {"active", std::to_string(c.active_subscriptions)},
                                     {"pending", std::to_string(c.pending_payments)}}));
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
