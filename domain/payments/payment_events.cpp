#include "domain/payments/payment_events.hpp"

#include "adapters/db/notifications_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/outbox/outbox_writer.hpp"
#include "domain/payments/refund.hpp"

namespace vpnbot::payments {
namespace {

std::string_view name_of(finalize_result r) {
  switch (r) {
    case finalize_result::granted:
      return "granted";
    case finalize_result::granted_late:
      return "granted_late";
    case finalize_result::already_final:
      return "already_final";
    case finalize_result::mismatch:
      return "mismatch";
    case finalize_result::unknown_payment:
      return "unknown_payment";
  }
  return "unknown_payment";
}

// A provider that names the payment by its number (Robokassa's InvId)
// must also carry that payment's id: a number alone is easy to guess.
bool names_ours(pqxx::dbtransaction& tx, const payment_verdict& v) {
  if (!v.payment_number) return true;
  auto p = db::find_payment_by_number(tx, *v.payment_number);
  return p && p->id == v.our_payment_id;
}

event_outcome paid(pqxx::dbtransaction& tx, const payment_verdict& v,
                   const finalizer_context& ctx) {
  if (!names_ours(tx, v)) return {"unknown_payment", {}};
  payment_confirmation c{v.our_payment_id, v.provider, v.provider_payment_id, v.amount.minor,
                         v.amount.currency};
  telegram::outbox_writer writer(tx);
  event_outcome out{std::string(name_of(finalize_payment(tx, c, ctx, writer).result)), {}};
  out.outbox_ids = writer.ids();
  return out;
}

event_outcome canceled(pqxx::dbtransaction& tx, const std::string& our_payment_id) {
  event_outcome out{"ignored", {}};
  auto p = our_payment_id.empty() ? std::nullopt : db::find_payment_for_update(tx, our_payment_id);
  if (!p || !db::mark_payment_if_pending(tx, p->id, "failed")) return out;
  out.outcome = "failed";
  auto user = db::find_user_by_id(tx, p->user_id);
  if (user && !user->blocked_bot &&
      db::claim_notification(tx, user->id, "payment_failed", "payment_failed:" + p->id, "{}")) {
    const auto& t = telegram::texts::builtin();
    auto lang = telegram::parse_language(user->language).value_or(telegram::language::en);
    telegram::outbox_writer writer(tx);
    writer.add(telegram::lane::transactional,
               telegram::send_message{.chat_id = user->telegram_id,
                                      .text = t.message(lang, "payment.failed"),
                                      .reply_markup = telegram::back_to_menu(t, lang)});
    out.outbox_ids = writer.ids();
  }
  return out;
}

event_outcome refunded(pqxx::dbtransaction& tx, const payment_verdict& v,
                       const finalizer_context& ctx) {
  auto p = db::find_payment_by_provider_id(tx, v.provider, v.provider_payment_id);
  if (!p) return {"unknown_payment", {}};
  telegram::outbox_writer writer(tx);
  auto r = take_back(tx, {v.provider, v.refund_id, p->id, v.amount.minor, v.amount.currency},
                     *ctx.catalog, writer);
  return {std::string(name_of(r.result)), writer.ids()};
}

event_outcome act(pqxx::dbtransaction& tx, const payment_verdict& v, const finalizer_context& ctx) {
  using kind = payment_verdict::kind;
  switch (v.what) {
    case kind::paid:
      return paid(tx, v, ctx);
    case kind::canceled:
      return canceled(tx, v.our_payment_id);
    case kind::pending:
    case kind::refund_pending:
      return {"not_final", {}};
    case kind::refunded:
      return refunded(tx, v, ctx);
    case kind::refund_unknown:
      return {"unknown_refund", {}};
    case kind::ignored:
      break;
  }
  return {"ignored", {}};
}

}  // namespace

event_outcome apply_verdict(pqxx::dbtransaction& tx, int64_t event_row, const payment_verdict& v,
                            const finalizer_context& ctx) {
  auto out = act(tx, v, ctx);
  db::mark_webhook_processed(tx, event_row, out.outcome);
  return out;
}

}  // namespace vpnbot::payments
