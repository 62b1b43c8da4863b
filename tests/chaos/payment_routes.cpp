#include "chaos/payment_routes.hpp"

#include <thread>

#include "support/bot_harness.hpp"

namespace vpnbot::chaos {
namespace {

using namespace std::chrono_literals;

struct issued_invoice {
  std::string payment_id, provider_payment_id, pay_url;
};

// The user's payment once the invoice issuer recorded its invoice.
std::optional<issued_invoice> wait_for_invoice(const chaos_world& w, int64_t user,
                                               const std::string& provider) {
  auto deadline = std::chrono::steady_clock::now() + step_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = w.db.rows(
        "SELECT p.id, coalesce(p.provider_payment_id, ''), p.pay_url FROM payments p"
        " JOIN users u ON u.id = p.user_id WHERE u.telegram_id = " +
        std::to_string(user) + " AND p.provider = '" + provider +
        "' AND p.pay_url IS NOT NULL ORDER BY p.created_at DESC LIMIT 1");
    if (!r.empty())
      return issued_invoice{r[0][0].as<std::string>(), r[0][1].as<std::string>(),
                            r[0][2].as<std::string>()};
    std::this_thread::sleep_for(100ms);
  }
  return std::nullopt;
}

notification webhook(std::string provider, std::string path, std::string body,
                     std::map<std::string, std::string> headers) {
  return {std::move(provider), std::move(path), std::move(body), std::move(headers), {}};
}

purchase pay_cryptobot(chaos_world& w, int64_t user, std::size_t) {
  auto invoice = wait_for_invoice(w, user, "cryptobot");
  if (!invoice) return {{}, "the cryptobot invoice"};
  auto d = w.cryptobot.pay(std::stoll(invoice->provider_payment_id));
  return {checkout{invoice->payment_id, webhook("cryptobot", "/pay/cryptobot", d.body,
                                                {{"Content-Type", "application/json"},
                                                 {"crypto-pay-api-signature", d.signature}})},
          {}};
}

purchase pay_yookassa(chaos_world& w, int64_t user, std::size_t) {
  auto invoice = wait_for_invoice(w, user, "yookassa");
  if (!invoice) return {{}, "the yookassa invoice"};
  return {checkout{invoice->payment_id, webhook("yookassa", "/pay/yookassa",
                                                w.yookassa.pay(invoice->provider_payment_id),
                                                {{"Content-Type", "application/json"}})},
          {}};
}

purchase pay_robokassa(chaos_world& w, int64_t user, std::size_t) {
  auto invoice = wait_for_invoice(w, user, "robokassa");
  if (!invoice) return {{}, "the robokassa invoice"};
  auto link = w.robokassa.open_link(invoice->pay_url);
  if (!link) return {{}, "a Robokassa link whose signature checks out"};
  return {checkout{invoice->payment_id,
                   webhook("robokassa", "/pay/robokassa", w.robokassa.result_body(*link),
                           {{"Content-Type", "application/x-www-form-urlencoded"}})},
          {}};
}

// CoinGate posts the order's callback form; the service reads the order
// back before it believes it.
purchase pay_coingate(chaos_world& w, int64_t user, std::size_t) {
  auto invoice = wait_for_invoice(w, user, "coingate");
  if (!invoice) return {{}, "the coingate order"};
  return {checkout{invoice->payment_id,
                   webhook("coingate", "/pay/coingate",
                           w.coingate.pay(std::stoll(invoice->provider_payment_id)),
                           {{"Content-Type", "application/x-www-form-urlencoded"}})},
          {}};
}

// The sendInvoice of the user's newest payment was caught by a kill.
bool invoice_in_doubt(const chaos_world& w, int64_t user) {
  return w.db.scalar(
             "SELECT count(*) FROM telegram_outbox o WHERE o.chat_id = " + std::to_string(user) +
             " AND o.method = 'sendInvoice' AND o.state = 'in_doubt' AND position("
             "(SELECT p.id::text FROM payments p JOIN users u ON u.id = p.user_id"
             "  WHERE u.telegram_id = " +
             std::to_string(user) +
             " ORDER BY p.created_at DESC LIMIT 1) IN convert_from(o.body, 'UTF8')) > 0") != "0";
}

bool is_true(const nlohmann::json& v) {
  return v == true || v == "true";
}

// Stars: the invoice in the chat, the pre-checkout query answered ok, then
// the successful_payment message Telegram sends.
purchase pay_stars(chaos_world& w, int64_t user, std::size_t mark) {
  std::optional<emulators::bot_api_call> invoice;
  auto deadline = std::chrono::steady_clock::now() + step_timeout;
  while (!invoice && std::chrono::steady_clock::now() < deadline) {
    invoice = w.observer.wait_for(
        user, mark, [](const auto& c) { return c.method == "sendInvoice"; }, 1s);
    if (!invoice && invoice_in_doubt(w, user)) return {{}, {}, true};
  }
  if (!invoice) return {{}, "the Stars invoice"};
  auto payment_id = invoice->params["payload"].get<std::string>();
  auto prices = invoice->params["prices"].is_string()
                    ? nlohmann::json::parse(invoice->params["prices"].get<std::string>())
                    : invoice->params["prices"];
  auto amount = prices[0]["amount"].get<int64_t>();
  nlohmann::json from = {{"id", user}, {"is_bot", false}, {"first_name", "Buyer"}};
  auto query_id = "pcq-" + payment_id;
  auto before_answer = w.observer.mark();
  w.telegram.push_update({{"pre_checkout_query",
                           {{"id", query_id},
                            {"from", from},
                            {"currency", "XTR"},
                            {"total_amount", amount},
                            {"invoice_payload", payment_id}}}});
  auto answer = w.observer.wait_for(
      0, before_answer,
      [&](const auto& c) {
        return c.method == "answerPreCheckoutQuery" &&
               c.params.value("pre_checkout_query_id", "") == query_id;
      },
      step_timeout);
  if (!answer) return {{}, "the answer to the pre-checkout query"};
  if (!is_true(answer->params["ok"])) return {{}, "an ok to the pre-checkout query"};
  nlohmann::json paid = {{"message",
                          {{"message_id", 900},
                           {"from", from},
                           {"chat", {{"id", user}, {"type", "private"}}},
                           {"date", 1700000000},
                           {"successful_payment",
                            {{"currency", "XTR"},
                             {"total_amount", amount},
                             {"invoice_payload", payment_id},
                             {"telegram_payment_charge_id", "charge-" + payment_id},
                             {"provider_payment_charge_id", ""}}}}}};
  return {checkout{payment_id, {"stars", {}, {}, {}, paid}}, {}};
}

}  // namespace

const std::vector<payment_route>& payment_routes() {
  static const std::vector<payment_route> routes{
      {"cryptobot", "CryptoBot", true, pay_cryptobot},
      {"yookassa", "Bank card", true, pay_yookassa},
      {"robokassa", "Robokassa", false, pay_robokassa},
      {"stars", "Telegram Stars", false, pay_stars},
      {"coingate", "CoinGate", true, pay_coingate},
  };
  return routes;
}

}  // namespace vpnbot::chaos
