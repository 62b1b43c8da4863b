#include "adapters/payments/coingate_provider.hpp"

#include <nlohmann/json.hpp>

#include "adapters/codec/utf8.hpp"
#include "adapters/payments/lookup_one_by_one.hpp"

namespace vpnbot::payments::coingate {
namespace {

using kind = payment_verdict::kind;

payment_verdict verdict(kind what) {
  return payment_verdict{.what = what, .provider = std::string(provider_name)};
}

bool is_one_of(const std::string& status, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (status == n) return true;
  return false;
}

bool not_final(const order& o) {
  return is_one_of(o.status, {"new", "pending", "confirming"});
}

bool gave_up(const order& o) {
  return is_one_of(o.status, {"expired", "canceled", "invalid"});
}

// The watcher's finding: a paid or given-up order is recorded under the
// event id its callback would carry, so the two have one effect.
lookup_finding finding_of(const order& o) {
  lookup_finding f;
  if (o.status != "paid" && !gave_up(o)) {
    f.status = not_final(o) ? "still_pending" : "ignored";
    return f;
  }
  f.event_id = "order." + o.status + ":" + o.id;
  f.summary = nlohmann::json{{"id", o.id}, {"status", o.status}}.dump();
  f.verdict = verdict_of(o);
  return f;
}

}  // namespace

payment_verdict verdict_of(const order& o) {
  if (not_final(o)) return verdict(kind::pending);
  payment_verdict v;
  if (o.status == "paid" && !o.order_id.empty()) {
    v = verdict(kind::paid);
    v.our_payment_id = o.order_id;
    v.amount = o.price;
  } else if (gave_up(o)) {
    v = verdict(kind::canceled);
    v.our_payment_id = o.order_id;
  } else if (o.status == "refunded") {
    v = verdict(kind::refunded);
    v.refund_id = "order:" + o.id;
    v.amount = o.price;
  } else {
    return verdict(kind::ignored);
  }
  v.provider_payment_id = o.id;
  return v;
}

provider::provider(settings s, std::string callback_secret, std::string callback_url,
                   std::string return_url)
    : settings_(std::move(s)),
      callback_secret_(std::move(callback_secret)),
      callback_url_(std::move(callback_url)),
      return_url_(std::move(return_url)) {}

std::string provider::name() const {
  return std::string(provider_name);
}

std::string provider::webhook_path() const {
  return "/pay/coingate";
}

std::vector<std::string> provider::webhook_methods() const {
  return {"POST"};
}

caf::expected<issue_plan> provider::issue(const invoice_order& order) const {
  order_request r;
  r.payment_id = order.payment_id;
  r.price = order.price;
  r.title = codec::truncate_utf8(order.description, max_title, codec::text_unit::code_points);
  r.description =
      codec::truncate_utf8(order.description, max_description, codec::text_unit::code_points);
  r.callback_url = callback_url_;
  r.success_url = return_url_;
  r.cancel_url = return_url_;
  r.token = callback_token(callback_secret_, order.payment_id);
  auto request = create_order_request(settings_, r);
  if (!request) return request.error();
  return issue_plan{provider_exchange<issued_invoice>{
      std::move(*request), [](int status, std::string_view body) -> caf::expected<issued_invoice> {
        auto o = read_order_reply(status, body);
        if (!o) return o.error();
        return issued_invoice{o->id, o->payment_url};
      }}};
}

// Only the order's id is taken from the callback; its state is read back,
// and the order read must be the one the token was made for.
notice provider::notice_of(const callback& c) const {
  notice out;
  out.event_id = c.event_id();
  out.answer = http_response{200, "text/plain", {}, "OK"};
  out.says = read_back{
      get_order_request(settings_, c.id),
      [ours = c.order_id](int status, std::string_view body) -> caf::expected<payment_verdict> {
        auto o = read_order_reply(status, body);
        if (!o) return o.error();
        if (o->order_id != ours) return verdict(kind::ignored);
        return verdict_of(*o);
      }};
  return out;
}

caf::expected<notice> provider::accept(const http_request& request) const {
  auto c = accept_callback(callback_secret_, request.body);
  if (!c) return c.error();
  return notice_of(*c);
}

caf::expected<notice> provider::reparse(const std::string& raw_body) const {
  auto c = accept_callback(callback_secret_, raw_body);
  if (!c) return c.error();
  return notice_of(*c);
}

bool provider::supports_lookup() const {
  return true;
}

std::vector<caf::expected<lookup_exchange>> provider::lookup(
    const std::vector<pending_invoice>& pending) const {
  return lookup_one_by_one(
      pending,
      [this](const pending_invoice& p) {
        return get_order_request(settings_, p.provider_invoice_id);
      },
      [](const pending_invoice&) {
        return [](int status, std::string_view body) -> caf::expected<lookup_finding> {
          auto o = read_order_reply(status, body);
          if (!o) return o.error();
          return finding_of(*o);
        };
      });
}

}  // namespace vpnbot::payments::coingate
