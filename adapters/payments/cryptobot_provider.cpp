#include "adapters/payments/cryptobot_provider.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "adapters/codec/utf8.hpp"

namespace vpnbot::payments::cryptobot {
namespace {

notice notice_of(const update& u) {
  notice n;
  n.event_id = u.event_id();
  n.answer = http_response{200, "application/json", {}, R"({"ok":true})"};
  n.says = u.update_type == "invoice_paid"
               ? verdict_of(u.invoice_data)
               : payment_verdict{.provider = std::string(provider_name)};
  return n;
}

std::vector<lookup_finding> findings_of(const std::vector<invoice>& invoices) {
  std::vector<lookup_finding> out;
  for (const auto& inv : invoices) {
    lookup_finding f;
    if (inv.status == "expired") {
      // An expired invoice can no longer be paid: the order failed now, not
      // at payment_ttl (its expires_in may be shorter, or it lapsed early).
      f.event_id = "invoice_expired:" + std::to_string(inv.invoice_id);
      f.summary = nlohmann::json{{"invoice_id", inv.invoice_id}, {"status", inv.status}}.dump();
      f.verdict.what = payment_verdict::kind::canceled;
      f.verdict.provider = std::string(provider_name);
      f.verdict.our_payment_id = inv.payload;
      f.verdict.provider_payment_id = std::to_string(inv.invoice_id);
    } else if (inv.status != "paid") {
      f.status = inv.status;
    } else {
      f.event_id = "invoice_paid:" + std::to_string(inv.invoice_id);
      f.summary = nlohmann::json{{"invoice_id", inv.invoice_id}, {"status", inv.status}}.dump();
      f.verdict = verdict_of(inv);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

payment_verdict verdict_of(const invoice& inv) {
  payment_verdict v{.provider = std::string(provider_name)};
  if (inv.status != "paid" || inv.currency_type != "fiat" || !inv.amount_minor) return v;
  v.what = payment_verdict::kind::paid;
  v.our_payment_id = inv.payload;
  v.provider_payment_id = std::to_string(inv.invoice_id);
  v.amount = money{*inv.amount_minor, inv.currency};
  return v;
}

provider::provider(settings s, std::vector<std::string> accepted_assets)
    : settings_(std::move(s)), assets_(std::move(accepted_assets)) {}

std::string provider::name() const {
  return std::string(provider_name);
}

std::string provider::webhook_path() const {
  return "/pay/cryptobot";
}

std::vector<std::string> provider::webhook_methods() const {
  return {"POST"};
}

std::vector<std::string> provider::evidence_headers() const {
  return {"crypto-pay-api-signature"};
}

caf::expected<issue_plan> provider::issue(const invoice_order& order) const {
  invoice_request r;
  r.payment_id = order.payment_id;
  r.price = order.price;
  r.accepted_assets = assets_;
  r.description =
      codec::truncate_utf8(order.description, max_description, codec::text_unit::code_points);
  r.expires_in = std::chrono::seconds(std::max<int64_t>(60, order.seconds_left));
  auto request = create_invoice_request(settings_, r);
  if (!request) return request.error();
  return issue_plan{provider_exchange<issued_invoice>{
      std::move(*request), [](int status, std::string_view body) -> caf::expected<issued_invoice> {
        auto inv = read_create_invoice_reply(status, body);
        if (!inv) return inv.error();
        return issued_invoice{std::to_string(inv->invoice_id), inv->pay_url};
      }}};
}

caf::expected<notice> provider::accept(const http_request& request) const {
  auto u = accept_webhook(settings_, request);
  if (!u) return u.error();
  return notice_of(*u);
}

caf::expected<notice> provider::reparse(const std::string& raw_body) const {
  auto u = parse_update(raw_body);
  if (!u) return u.error();
  return notice_of(*u);
}

bool provider::supports_lookup() const {
  return true;
}

// One getInvoices call for the whole batch; invoice ids that are not
// numbers were never CryptoBot's and are left out.
std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> provider::lookup(
    const std::vector<pending_invoice>& pending) const {
  std::vector<int64_t> ids;
  for (const auto& p : pending) {
    int64_t id = 0;
    const auto& text = p.provider_invoice_id;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc{} && end == text.data() + text.size()) ids.push_back(id);
  }
  std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> out;
  if (ids.empty()) return out;
  auto request = get_invoices_request(settings_, ids);
  if (!request) {
    out.emplace_back(request.error());
    return out;
  }
  out.emplace_back(provider_exchange<std::vector<lookup_finding>>{
      std::move(*request),
      [](int status, std::string_view body) -> caf::expected<std::vector<lookup_finding>> {
        auto invoices = read_get_invoices_reply(status, body);
        if (!invoices) return invoices.error();
        return findings_of(*invoices);
      }});
  return out;
}

}  // namespace vpnbot::payments::cryptobot
