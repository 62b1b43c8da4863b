#include "domain/workers/payment_expiry.hpp"

#include "adapters/db/payments_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/workers/reminders.hpp"

namespace vpnbot::workers {

step_report expire_payments(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                            const notice_context& ctx) {
  step_report report;
  telegram::outbox_writer out(tx);
  for (const auto& p : db::expire_pending_payments(tx, iso_utc(now), static_cast<int>(ctx.batch))) {
    ++report.processed;
    auto user = db::find_user_by_id(tx, p.user_id);
    if (!user || user->blocked_bot) continue;
    auto lang = telegram::parse_language(user->language).value_or(telegram::language::en);
    out.add(telegram::lane::interactive,
            telegram::send_message{.chat_id = user->telegram_id,
                                   .text = ctx.catalog->message(lang, "payment.expired"),
                                   .mode = telegram::parse_mode::html});
  }
  report.outbox_ids = out.ids();
  return report;
}

}  // namespace vpnbot::workers
