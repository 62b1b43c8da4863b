#include "domain/payments/payment_events.hpp"

#include "adapters/db/notifications_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "adapters/payments/money.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::payments {

std::optional<payment_confirmation> confirmation_of(const cryptobot::invoice& invoice) {
  if (invoice.status != "paid" || invoice.currency_type != "fiat" || !invoice.amount_minor)
    return std::nullopt;
  return payment_confirmation{invoice.payload, "cryptobot", std::to_string(invoice.invoice_id),
                              *invoice.amount_minor, invoice.currency};
}

std::optional<payment_confirmation> confirmation_of(const yookassa::payment& payment) {
  if (payment.status != yookassa::payment_status::succeeded || !payment.paid ||
      payment.payment_id.empty())
    return std::nullopt;
  return payment_confirmation{payment.payment_id, "yookassa", payment.id, payment.amount.minor,
                              payment.amount.currency};
}

std::optional<payment_confirmation> confirmation_of(pqxx::dbtransaction& tx,
                                                    const robokassa::result_notice& notice) {
  auto p = db::find_payment_by_number(tx, notice.invoice_id);
  if (!p) return std::nullopt;
  bool carries_id = false;
  for (const auto& [k, v] : notice.shp)
    if (k == "Shp_payment") carries_id = v == p->id;
  if (!carries_id) return std::nullopt;
  return payment_confirmation{p->id, "robokassa", std::to_string(notice.invoice_id),
                              notice.amount_minor, "RUB"};
}

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

}  // namespace

event_outcome apply_confirmation(pqxx::dbtransaction& tx, int64_t event_row,
                                 const std::optional<payment_confirmation>& c,
                                 const finalizer_context& ctx) {
  event_outcome out;
  if (!c) {
    out.outcome = "ignored";
  } else {
    telegram::outbox_writer writer(tx);
    out.outcome = std::string(name_of(finalize_payment(tx, *c, ctx, writer).result));
    out.outbox_ids = writer.ids();
  }
  db::mark_webhook_processed(tx, event_row, out.outcome);
  return out;
}

event_outcome apply_cancellation(pqxx::dbtransaction& tx, int64_t event_row,
                                 const std::string& our_payment_id) {
  event_outcome out{"ignored", {}};
  auto p = our_payment_id.empty() ? std::nullopt : db::find_payment_for_update(tx, our_payment_id);
  if (p && db::mark_payment_if_pending(tx, p->id, "failed")) {
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
  }
  db::mark_webhook_processed(tx, event_row, out.outcome);
  return out;
}

event_outcome apply_refund(pqxx::dbtransaction& tx, int64_t event_row,
                           const std::optional<yookassa::refund>& fetched) {
  std::string outcome = "unknown_refund";
  if (fetched && fetched->status != "succeeded")
    outcome = "not_final";
  else if (fetched)
    outcome = db::mark_payment_refunded(tx, "yookassa", fetched->yookassa_payment_id) ? "refunded"
                                                                                      : "ignored";
  db::mark_webhook_processed(tx, event_row, outcome);
  return {outcome, {}};
}

}  // namespace vpnbot::payments
