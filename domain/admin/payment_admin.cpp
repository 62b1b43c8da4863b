#include "domain/admin/payment_admin.hpp"

#include <algorithm>
#include <array>
#include <regex>

#include "adapters/db/payments_repository.hpp"
#include "adapters/db/prepared.hpp"
#include "adapters/db/refund_requests_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/payments/stars.hpp"
#include "adapters/payments/yookassa_provider.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "domain/bot/ui/texts.hpp"
#include "domain/payments/refund.hpp"

namespace vpnbot::admin {

action_result<nlohmann::json> list_payments(pqxx::dbtransaction& tx, const payment_filter& f) {
  static constexpr std::array<std::string_view, 6> statuses{"pending", "succeeded", "failed",
                                                            "expired", "refunded",  "mismatch"};
  if (f.status && std::find(statuses.begin(), statuses.end(), *f.status) == statuses.end())
    return bad_input("status",
                     "expected pending, succeeded, failed, expired, refunded or mismatch");
  static const std::regex provider("^[a-z]{1,32}$");
  if (f.provider && !std::regex_match(*f.provider, provider))
    return bad_input("provider", "expected a provider name such as stars or yookassa");
  auto out = nlohmann::json::array();
  for (const auto& r : db::exec_prepared_sql(
           tx,
           "SELECT p.id::text, u.telegram_id, p.purpose, p.provider, p.provider_payment_id,"
           " p.amount, p.currency, p.status, to_char(p.created_at AT TIME ZONE 'UTC',"
           " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), (SELECT coalesce(sum(amount), 0) FROM"
           " payment_refunds r WHERE r.payment_id = p.id)::bigint FROM payments p JOIN users u ON"
           " u.id = p.user_id WHERE ($1::text IS NULL OR p.status = $1) AND ($2::text IS NULL OR"
           " p.provider = $2) AND ($3::bigint IS NULL OR u.telegram_id = $3) ORDER BY"
           " p.created_at DESC, p.id LIMIT $4",
           f.status, f.provider, f.telegram_id, f.limit))
    out.push_back({{"id", r[0].as<std::string>()},
                   {"telegram_id", r[1].as<int64_t>()},
                   {"purpose", r[2].as<std::string>()},
                   {"provider", r[3].as<std::string>()},
                   {"provider_payment_id", r[4].is_null() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(r[4].as<std::string>())},
                   {"amount_minor", r[5].as<int64_t>()},
                   {"currency", r[6].as<std::string>()},
                   {"status", r[7].as<std::string>()},
                   {"created_at", r[8].as<std::string>()},
                   {"refunded_minor", r[9].as<int64_t>()}});
  return out;
}

namespace {

action_result<refund_answer> request_refund(pqxx::dbtransaction& tx, const acting_operator& who,
                                            const db::payment_row& p, int64_t amount) {
  if (!p.provider_payment_id)
    return conflict("the " + p.provider + " payment has no provider payment id to refund");
  auto r =
      db::insert_refund_request(tx, {p.id, amount, p.currency, who.actor, who.admin_telegram_id});
  audit_action(tx, who, "refund_requested", "payment:" + p.id,
               {{"amount_minor", amount},
                {"currency", p.currency},
                {"provider", p.provider},
                {"request", r.id}});
  return refund_answer{refund_requested{r.id, p.id, p.provider, amount, p.currency}};
}

action_result<refund_answer> refund_stars(pqxx::dbtransaction& tx, const acting_operator& who,
                                          const db::payment_row& p, int64_t amount,
                                          telegram::outbox_writer& out) {
  if (amount != p.amount || !p.provider_payment_id)
    return bad_input("amount_minor", "Telegram Stars refunds the whole payment only (" +
                                         std::to_string(p.amount) + ")");
  auto payer = db::find_user_by_id(tx, p.user_id);
  auto taken = payments::take_back(tx,
                                   {std::string(payments::stars::provider_name),
                                    *p.provider_payment_id, p.id, p.amount, p.currency},
                                   telegram::texts::builtin(), out);
  if (taken.result != payments::refund_result::taken_back || !payer)
    return conflict(std::string("the refund was not applied: ") +
                    std::string(payments::name_of(taken.result)));
  out.add(telegram::lane::transactional,
          telegram::refund_star_payment{.user_id = payer->telegram_id,
                                        .telegram_payment_charge_id = *p.provider_payment_id});
  audit_action(tx, who, "refund", "payment:" + p.id,
               {{"amount_minor", amount}, {"currency", p.currency}, {"provider", p.provider}});
  return refund_answer{payment_refunded{p.id, amount, p.currency, taken.fully_refunded}};
}

}  // namespace

action_result<refund_answer> refund_payment(pqxx::dbtransaction& tx, const acting_operator& who,
                                            const std::string& payment_id,
                                            std::optional<int64_t> amount_minor,
                                            telegram::outbox_writer& out) {
  if (!panel::is_uuid(payment_id)) return not_found("no payment " + payment_id);
  auto p = db::find_payment_for_update(tx, payment_id);
  if (!p) return not_found("no payment " + payment_id);
  if (p->status != "succeeded")
    return conflict("the payment is " + p->status + "; only a succeeded payment is refunded");
  auto in_progress = db::unsettled_refund_amount(tx, p->id);
  if (in_progress > 0)
    return conflict("a refund of " + std::to_string(in_progress) + " " + p->currency +
                    " minor units of this payment is in progress at " + p->provider +
                    "; ask again once it is settled");
  auto left = p->amount - db::refunded_total(tx, p->id);
  auto amount = amount_minor.value_or(left);
  if (amount <= 0 || amount > left)
    return bad_input("amount_minor", "expected 1 to " + std::to_string(left) + " (" + p->currency +
                                         " minor units left to refund)");
  if (p->provider == payments::stars::provider_name) return refund_stars(tx, who, *p, amount, out);
  if (p->provider == payments::yookassa::provider_name) return request_refund(tx, who, *p, amount);
  return conflict("refunds of " + p->provider +
                  " payments are not made from here: refund it in the provider's "
                  "dashboard; its refund notification takes the payment back");
}

}  // namespace vpnbot::admin
