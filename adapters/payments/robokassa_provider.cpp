#include "adapters/payments/robokassa_provider.hpp"

#include <optional>

#include "adapters/codec/decimal.hpp"
#include "adapters/codec/utf8.hpp"
#include "adapters/payments/lookup_one_by_one.hpp"
#include "adapters/payments/payment_error.hpp"
#include "adapters/payments/robokassa_op_state.hpp"

namespace vpnbot::payments::robokassa {
namespace {

notice notice_of(const result_notice& n) {
  return notice{n.event_id(), http_response{200, "text/plain", {}, result_reply(n.invoice_id)},
                verdict_of(n)};
}

// The InvId recorded at issue, which OpStateExt asks about.
std::optional<int64_t> invoice_number(const pending_invoice& p) {
  return codec::decimal<int64_t>(p.provider_invoice_id);
}

lookup_finding finding_of(const op_state& state, int64_t number, const std::string& payment_id) {
  lookup_finding f;
  auto summary = [&] {
    return "OpStateExt InvoiceID=" + std::to_string(number) +
           " State=" + std::to_string(state.state_code);
  };
  payment_verdict v{.provider = std::string(provider_name)};
  v.our_payment_id = payment_id;
  v.payment_number = number;
  v.provider_payment_id = std::to_string(number);
  if (state.result_code != 0) {
    f.status = "not_found";
  } else if (state.state_code == 100 && state.out_sum_minor) {
    v.what = payment_verdict::kind::paid;
    v.amount = money{*state.out_sum_minor, "RUB"};
    result_notice as_result;
    as_result.invoice_id = number;
    f.event_id = as_result.event_id();
    f.summary = summary();
    f.verdict = std::move(v);
  } else if (state.state_code == 10 || state.state_code == 60) {
    v.what = payment_verdict::kind::canceled;
    f.event_id = "op_state_canceled:" + std::to_string(number);
    f.summary = summary();
    f.verdict = std::move(v);
  } else {
    f.status = "pending";
  }
  return f;
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
  // The invoice's id at Robokassa is our number (InvId): the watcher asks by it.
  return issue_plan{issued_invoice{std::to_string(order.number), std::move(*link)}};
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
  return true;
}

// One OpStateExt call per invoice. The reply is Robokassa's own word about
// the invoice we asked for, so it names our payment; a paid state is
// recorded under the ResultURL's event id, so a late ResultURL and the
// watcher have one effect.
std::vector<caf::expected<lookup_exchange>> provider::lookup(
    const std::vector<pending_invoice>& pending) const {
  // An invoice issued before its InvId was recorded cannot be asked about.
  std::vector<pending_invoice> numbered;
  for (const auto& p : pending)
    if (invoice_number(p)) numbered.push_back(p);
  return lookup_one_by_one(
      numbered,
      [this](const pending_invoice& p) { return op_state_request(settings_, *invoice_number(p)); },
      [](const pending_invoice& p) {
        return [number = *invoice_number(p), payment_id = p.payment_id](
                   int status, std::string_view body) -> caf::expected<lookup_finding> {
          if (status != 200)
            return caf::make_error(payment_errc::unexpected_status,
                                   "OpStateExt answered " + std::to_string(status));
          auto state = parse_op_state(body);
          if (!state) return state.error();
          return finding_of(*state, number, payment_id);
        };
      });
}

}  // namespace vpnbot::payments::robokassa
