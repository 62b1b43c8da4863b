#include "adapters/payments/stars.hpp"

#include "adapters/payments/json_fields.hpp"
#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments::stars {
namespace {

using nlohmann::json;

bool length_between(std::string_view text, std::size_t min, std::size_t max) {
  auto n = utf8_length(text);
  return n >= min && n <= max;
}

}  // namespace

caf::expected<json> send_invoice_parameters(const invoice_request& request) {
  if (!length_between(request.title, 1, 32)) return invalid("title must be 1 to 32 characters");
  if (!length_between(request.description, 1, 255))
    return invalid("description must be 1 to 255 characters");
  if (request.payment_id.empty() || request.payment_id.size() > 128)
    return invalid("payload must be 1 to 128 bytes");
  if (request.stars <= 0) return invalid("price must be a positive number of stars");
  if (request.price_label.empty()) return invalid("price label is empty");
  return json{
      {"chat_id", request.chat_id},
      {"title", request.title},
      {"description", request.description},
      {"payload", request.payment_id},
      {"provider_token", ""},
      {"currency", currency},
      {"prices", json::array({{{"label", request.price_label}, {"amount", request.stars}}})}};
}

caf::expected<pre_checkout_query> parse_pre_checkout_query(const json& query) {
  pre_checkout_query q;
  q.id = string_field(query, "id");
  q.currency = string_field(query, "currency");
  q.invoice_payload = string_field(query, "invoice_payload");
  auto total = integer_field(query, "total_amount");
  const json* from = object_field(query, "from");
  auto from_id = from ? integer_field(*from, "id") : std::nullopt;
  if (q.id.empty() || q.currency.empty() || !total || !from_id)
    return malformed("pre_checkout_query needs id, from, currency and total_amount");
  q.total_amount = *total;
  q.from_id = *from_id;
  return q;
}

pre_checkout_decision decide_pre_checkout(const pre_checkout_query& query,
                                          const std::optional<payment_record>& record) {
  if (!record)
    return {pre_checkout_verdict::unknown_payment,
            "This invoice is not valid. Please open the payment menu in the bot again."};
  if (!record->pending)
    return {pre_checkout_verdict::not_pending,
            "This invoice has already been paid or has expired. Please request a new one."};
  if (query.currency != record->amount.currency)
    return {pre_checkout_verdict::wrong_currency,
            "This invoice is in the wrong currency. Please request a new one."};
  if (query.total_amount != record->amount.minor)
    return {pre_checkout_verdict::wrong_amount,
            "The price has changed. Please request a new invoice."};
  return {pre_checkout_verdict::ok, {}};
}

json answer_pre_checkout_parameters(std::string_view query_id,
                                    const pre_checkout_decision& decision) {
  json body = {{"pre_checkout_query_id", query_id}, {"ok", decision.ok()}};
  if (!decision.ok()) body["error_message"] = decision.error_message;
  return body;
}

caf::expected<successful_payment> parse_successful_payment(const json& object) {
  successful_payment p;
  p.currency = string_field(object, "currency");
  p.invoice_payload = string_field(object, "invoice_payload");
  p.telegram_payment_charge_id = string_field(object, "telegram_payment_charge_id");
  p.provider_payment_charge_id = string_field(object, "provider_payment_charge_id");
  auto total = integer_field(object, "total_amount");
  if (p.currency.empty() || !total || p.telegram_payment_charge_id.empty())
    return malformed(
        "successful_payment needs currency, total_amount and telegram_payment_charge_id");
  p.total_amount = *total;
  return p;
}

}  // namespace vpnbot::payments::stars
