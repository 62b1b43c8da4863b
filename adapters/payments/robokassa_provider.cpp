#include "adapters/payments/robokassa_provider.hpp"

#include "adapters/codec/utf8.hpp"

namespace vpnbot::payments::robokassa {
namespace {

notice notice_of(const result_notice& n) {
  return notice{n.event_id(), http_response{200, "text/plain", {}, result_reply(n.invoice_id)},
                verdict_of(n)};
}

}  // namespace

payment_verdict verdict_of(const result_notice& n) {
  payment_verdict v{.what = payment_verdict::kind::paid, .provider = std::string(provider_name)};
  for (const auto& [k, value] : n.shp)
    if (k == "Shp_payment") v.our_payment_id = value;
  v.payment_number = n.invoice_id;
  v.provider_payment_id = std::to_string(n.invoice_id);
  v.amount = money{n.amount_minor, "RUB"};
  return v;
}

provider::provider(settings s) : settings_(std::move(s)) {}

std::string provider::name() const {
  return std::string(provider_name);
}

std::string provider::webhook_path() const {
  return "/pay/robokassa";
}

std::vector<std::string> provider::webhook_methods() const {
  return {"GET", "POST"};
}

caf::expected<issue_plan> provider::issue(const invoice_order& order) const {
  link_request r;
  r.invoice_id = order.number;
  r.price = order.price;
  r.description =
      codec::truncate_utf8(order.description, max_description, codec::text_unit::code_points);
  r.shp = {{"payment", order.payment_id}};
  auto link = payment_link(settings_, r);
  if (!link) return link.error();
  return issue_plan{issued_invoice{"", std::move(*link)}};
}

// ResultURL comes as a form-encoded POST body, or as the query string of a GET.
caf::expected<notice> provider::accept(const http_request& request) const {
  auto n = verify_result(settings_, request.body.empty() ? request.query : request.body);
  if (!n) return n.error();
  return notice_of(*n);
}

caf::expected<notice> provider::reparse(const std::string& raw_body) const {
  auto n = verify_result(settings_, raw_body);
  if (!n) return n.error();
  return notice_of(*n);
}

bool provider::supports_lookup() const {
  return false;
}

std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> provider::lookup(
    const std::vector<pending_invoice>&) const {
  return {};
}

}  // namespace vpnbot::payments::robokassa
