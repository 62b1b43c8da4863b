// The payment routes: a filtered list and an operator's refund.

#include "domain/admin/payment_admin.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/route_table.hpp"

namespace vpnbot::api {
namespace {

std::optional<std::string> query_value(const api_call& c, const std::string& name) {
  auto it = c.query.find(name);
  if (it == c.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

http_response list_payments(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
  admin::payment_filter f;
  f.status = query_value(c, "status");
  f.provider = query_value(c, "provider");
  if (auto user = query_value(c, "user")) {
    auto id = integer_param("user", *user);
    if (auto* bad = std::get_if<http_response>(&id)) return *bad;
    f.telegram_id = std::get<int64_t>(id);
  }
  return answer_of(admin::list_payments(tx, f), [](const nlohmann::json& payments) {
    return nlohmann::json{{"payments", payments}};
  });
}

// 200 with what was taken back (Telegram Stars), or 202 with the request
// the refund_sender makes at the provider.
http_response refund(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer& out) {
  auto amount = integer_field(c, "amount_minor");
  if (auto* bad = std::get_if<http_response>(&amount)) return *bad;
  auto r = admin::refund_payment(tx, c.who, c.params.at("id"),
                                 std::get<std::optional<int64_t>>(amount), out);
  if (!r) return refused(r.error());
  if (const auto* requested = std::get_if<admin::refund_requested>(&*r))
    return json_answer(202, {{"request_id", requested->request_id},
                             {"status", "requested"},
                             {"payment_id", requested->payment_id},
                             {"provider", requested->provider},
                             {"amount_minor", requested->amount_minor},
                             {"currency", requested->currency}});
  const auto& done = std::get<admin::payment_refunded>(*r);
  return json_answer(200, {{"payment_id", done.payment_id},
                           {"amount_minor", done.amount_minor},
                           {"currency", done.currency},
                           {"fully_refunded", done.fully_refunded}});
}

}  // namespace

void add_payment_routes(std::vector<api_route>& routes) {
  routes.push_back({"GET",
                    "/api/v1/payments",
                    "Payments, newest first (at most 100)",
                    {{"status", "pending, succeeded, failed, expired, refunded or mismatch"},
                     {"provider", "stars, yookassa, cryptobot, robokassa, coingate or balance"},
                     {"user", "the payer's Telegram id", "integer"}},
                    nullptr,
                    list_payments});
  routes.push_back(
      {"POST",
       "/api/v1/payments/{id}/refund",
       "Refund a succeeded payment (Telegram Stars: whole, at once; YooKassa: 202, a request "
       "made at YooKassa; other providers answer 409)",
       {},
       nlohmann::json{{"type", "object"},
                      {"properties",
                       {{"amount_minor",
                         {{"type", nlohmann::json::array({"integer", "null"})},
                          {"description", "null or absent: what is left of the payment"}}}}}},
       refund,
       "requested (YooKassa): {request_id, status, payment_id, provider, amount_minor, "
       "currency}; the refund is made at the provider after the commit"});
}

}  // namespace vpnbot::api
