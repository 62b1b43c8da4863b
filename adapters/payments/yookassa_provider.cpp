#include "adapters/payments/yookassa_provider.hpp"

#include <nlohmann/json.hpp>

#include "adapters/codec/utf8.hpp"
#include "adapters/payments/lookup_one_by_one.hpp"

namespace vpnbot::payments::yookassa {
namespace {

using kind = payment_verdict::kind;

payment_verdict verdict(kind what) {
  return payment_verdict{.what = what, .provider = std::string(provider_name)};
}

// The watcher's finding: a final status is recorded under the event id
// its notification would carry, so the two have one effect.
lookup_finding finding_of(const payment& p) {
  lookup_finding f;
  auto status = std::string(to_string(p.status));
  if (p.status != payment_status::succeeded && p.status != payment_status::canceled) {
    f.status = "still_pending";
    return f;
  }
  f.event_id = "payment." + status + ":" + p.id;
  f.summary = nlohmann::json{{"id", p.id}, {"status", status}}.dump();
  f.verdict = verdict_of(p);
  return f;
}

// A refund as YooKassa holds it; another status is not YooKassa's.
caf::expected<provider_refund> refund_state_of(const refund& r) {
  provider_refund out;
  out.refund_id = r.id;
  out.amount = r.amount;
  if (r.status == "succeeded")
    out.status = provider_refund::state::succeeded;
  else if (r.status == "canceled")
    out.status = provider_refund::state::canceled;
  else if (r.status == "pending")
    out.status = provider_refund::state::pending;
  else
    return malformed("YooKassa refund status " + r.status + " is unknown");
  return out;
}

}  // namespace

payment_verdict verdict_of(const payment& p) {
  if (p.status == payment_status::canceled) {
    auto v = verdict(kind::canceled);
    v.our_payment_id = p.payment_id;
    return v;
  }
  if (p.status != payment_status::succeeded) return verdict(kind::pending);
  if (!p.paid || p.payment_id.empty()) return verdict(kind::ignored);
  auto v = verdict(kind::paid);
  v.our_payment_id = p.payment_id;
  v.provider_payment_id = p.id;
  v.amount = p.amount;
  return v;
}

payment_verdict verdict_of(const std::optional<refund>& r) {
  if (!r) return verdict(kind::refund_unknown);
  if (r->status != "succeeded") return verdict(kind::refund_pending);
  auto v = verdict(kind::refunded);
  v.provider_payment_id = r->yookassa_payment_id;
  v.refund_id = r->id;
  v.amount = r->amount;
  return v;
}

provider::provider(settings s, std::string return_url, std::shared_ptr<const ip_allowlist> sources)
    : settings_(std::move(s)), return_url_(std::move(return_url)), sources_(std::move(sources)) {}

std::string provider::name() const {
  return std::string(provider_name);
}

std::string provider::webhook_path() const {
  return "/pay/yookassa";
}

std::vector<std::string> provider::webhook_methods() const {
  return {"POST"};
}

caf::expected<issue_plan> provider::issue(const invoice_order& order) const {
  payment_request r;
  r.payment_id = order.payment_id;
  r.price = order.price;
  r.description =
      codec::truncate_utf8(order.description, max_description, codec::text_unit::code_points);
  r.return_url = return_url_;
  auto request = create_payment_request(settings_, r);
  if (!request) return request.error();
  return issue_plan{provider_exchange<issued_invoice>{
      std::move(*request), [](int status, std::string_view body) -> caf::expected<issued_invoice> {
        auto pay = read_payment_reply(status, body);
        if (!pay) return pay.error();
        return issued_invoice{pay->id, pay->confirmation_url};
      }}};
}

// Only the object's id is taken from the body; its state is read back.
notice provider::notice_of(const notification& n) const {
  notice out;
  out.event_id = n.event_id();
  out.answer = http_response{200, "application/json", {}, "{}"};
  if (n.kind == event_kind::refund_succeeded) {
    out.says = read_back{get_refund_request(settings_, n.object_id),
                         [](int status, std::string_view body) -> caf::expected<payment_verdict> {
                           auto r = read_refund_reply(status, body);
                           if (!r) return r.error();
                           return verdict_of(*r);
                         }};
  } else if (n.payment_object) {
    out.says = read_back{get_payment_request(settings_, n.object_id),
                         [](int status, std::string_view body) -> caf::expected<payment_verdict> {
                           auto p = read_payment_reply(status, body);
                           if (!p) return p.error();
                           return verdict_of(*p);
                         }};
  } else {
    out.says = verdict(kind::ignored);
  }
  return out;
}

caf::expected<notice> provider::accept(const http_request& request) const {
  auto n = accept_notification(request, sources_.get());
  if (!n) return n.error();
  return notice_of(*n);
}

caf::expected<notice> provider::reparse(const std::string& raw_body) const {
  auto n = parse_notification(raw_body);
  if (!n) return n.error();
  return notice_of(*n);
}

bool provider::supports_lookup() const {
  return true;
}

std::vector<caf::expected<lookup_exchange>> provider::lookup(
    const std::vector<pending_invoice>& pending) const {
  return lookup_one_by_one(
      pending,
      [this](const pending_invoice& p) {
        return get_payment_request(settings_, p.provider_invoice_id);
      },
      [](const pending_invoice&) {
        return [](int status, std::string_view body) -> caf::expected<lookup_finding> {
          auto pay = read_payment_reply(status, body);
          if (!pay) return pay.error();
          return finding_of(*pay);
        };
      });
}

bool provider::supports_refunds() const {
  return true;
}

caf::expected<provider_exchange<provider_refund>> provider::refund(
    const refund_order& order) const {
  auto request =
      create_refund_request(settings_, {order.request_id, order.provider_payment_id, order.amount});
  if (!request) return request.error();
  return provider_exchange<provider_refund>{
      std::move(*request), [](int status, std::string_view body) -> caf::expected<provider_refund> {
        auto r = read_refund_creation_reply(status, body);
        if (!r) return r.error();
        return refund_state_of(*r);
      }};
}

caf::expected<provider_exchange<provider_refund>> provider::refund_status(
    const std::string& refund_id) const {
  auto request = get_refund_request(settings_, refund_id);
  if (!request) return request.error();
  return provider_exchange<provider_refund>{
      std::move(*request),
      [id = refund_id](int status, std::string_view body) -> caf::expected<provider_refund> {
        auto r = read_refund_reply(status, body);
        if (!r) return r.error();
        if (!*r)
          return caf::make_error(payment_errc::retry_later, "YooKassa knows no refund " + id);
        return refund_state_of(**r);
      }};
}

}  // namespace vpnbot::payments::yookassa
