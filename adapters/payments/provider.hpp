#pragma once

// One payment provider as the payment actors see it: it builds the HTTP
// calls (outbound_request) and reads their replies, verifies notifications
// and says what they mean in neutral terms (payment_verdict). No I/O and no
// database here: the actors send the requests, the domain
// (payment_events.hpp) acts on the verdicts.
//
// Shape notes:
// * Each step that needs a call returns the request together with the
//   reader of its reply, so the actor never learns which provider it talks
//   to; a step that needs no call returns its result at once (Robokassa's
//   locally signed link, CryptoBot's signed notification).
// * An operator's refund at the provider (refund(), refund_status()) exists
//   where the provider has a refund API (YooKassa); the others answer
//   supports_refunds() false and the operator refunds in their dashboard.
//   Refund *notifications* are verdicts like any other.
// * Telegram Stars is not a provider here: it is paid inside the chat (the
//   conversation sends the invoice and receives successful_payment), so it
//   has no webhook, no issuing call and no lookup; the conversation uses
//   stars.hpp directly.

#include <caf/expected.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/outbound_request.hpp"
#include "adapters/payments/money.hpp"
#include "adapters/payments/payment_error.hpp"
#include "messages/http.hpp"

namespace vpnbot::payments {

// What a provider says about one payment.
struct payment_verdict {
  enum class kind {
    paid,            // the money arrived
    canceled,        // the provider gave up on the payment
    pending,         // not final yet: asked again later
    refunded,        // a refund of `provider_payment_id` completed
    refund_pending,  // a refund not final yet
    refund_unknown,  // the provider knows no such refund
    ignored,         // nothing to act on
  };
  kind what = kind::ignored;
  std::string provider{};  // name() of the provider that said it
  // Ours, as the provider carries it; empty when it carries none.
  std::string our_payment_id{};
  // Set when the provider names the payment by our number instead (then
  // `our_payment_id` must be that payment's id, or it is not ours).
  std::optional<int64_t> payment_number{};
  std::string provider_payment_id{};  // the provider's id of the payment
  money amount{};                     // paid / refunded: exact, in minor units
  std::string refund_id{};            // refunded: the provider's id of the refund
};

template <class T>
using reply_reader = std::function<caf::expected<T>(int status, std::string_view body)>;

// An HTTP call and the reader of its reply.
template <class T>
struct provider_exchange {
  outbound_request request;
  reply_reader<T> read;
};

// What the issuer asks a provider to bill.
struct invoice_order {
  std::string payment_id;  // ours
  int64_t number = 0;      // ours, a small integer
  money price;
  std::string description;
  int64_t seconds_left = 0;  // until the payment expires
};

struct issued_invoice {
  std::string provider_invoice_id;  // empty when the provider assigns none up front
  std::string pay_url;
};

// A ready link, or the call that creates the invoice.
using issue_plan = std::variant<issued_invoice, provider_exchange<issued_invoice>>;

// The provider's word is not final until read back with this call; a
// request that cannot be built fails the processing (it is replayed).
struct read_back {
  caf::expected<outbound_request> request;
  reply_reader<payment_verdict> read;
};

// A verified notification.
struct notice {
  std::string event_id;  // unique per event: redeliveries share it
  http_response answer;  // sent once the event is stored
  std::variant<payment_verdict, read_back> says;
};

// A pending invoice the watcher asks about.
struct pending_invoice {
  std::string payment_id;
  std::string provider_invoice_id;
};

// What a lookup found about one invoice.
struct lookup_finding {
  // Recorded and acted on like a notification with this id; empty when
  // there is nothing to act on and only `status` is counted.
  std::string event_id;
  std::string summary;  // stored as the event's body
  payment_verdict verdict;
  std::string status;  // counted when `event_id` is empty
};

// An operator's refund the provider is asked to make.
struct refund_order {
  std::string request_id;           // ours, unique per request: the idempotency key
  std::string provider_payment_id;  // the provider's id of the payment
  money amount;
};

// A refund as the provider holds it.
struct provider_refund {
  enum class state { pending, succeeded, canceled };
  state status = state::pending;
  std::string refund_id;  // the provider's
  money amount;
};

class provider {
 public:
  virtual ~provider() = default;

  // Stored in payments.provider and used as the metric label.
  virtual std::string name() const = 0;
  // Where its notifications arrive; empty when it sends none.
  virtual std::string webhook_path() const = 0;
  virtual std::vector<std::string> webhook_methods() const = 0;
  // Request headers kept with the stored event besides the usual ones (a
  // signature header, so a stored event can be checked again by hand).
  virtual std::vector<std::string> evidence_headers() const { return {}; }

  virtual caf::expected<issue_plan> issue(const invoice_order& order) const = 0;

  // The check (signature, source) and the parse: payment_errc
  // bad_signature or source_not_allowed when the check fails, malformed
  // when the body is not this provider's.
  virtual caf::expected<notice> accept(const http_request& request) const = 0;
  // A stored event read again for a replay.
  virtual caf::expected<notice> reparse(const std::string& raw_body) const = 0;

  // Whether the watcher can ask about pending invoices.
  virtual bool supports_lookup() const = 0;
  // The calls asking about `pending`; one entry per call, an error for a
  // call that cannot be built.
  virtual std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> lookup(
      const std::vector<pending_invoice>& pending) const = 0;

  // Whether refund() and refund_status() call the provider; without them
  // both answer payment_errc::invalid_argument.
  virtual bool supports_refunds() const { return false; }
  // The call that makes the refund; a repeat of one request_id must be the
  // same refund at the provider. Its reader's errors: retry_later (call
  // again with the same id), rejected or unexpected_status (final).
  virtual caf::expected<provider_exchange<provider_refund>> refund(const refund_order&) const {
    return caf::make_error(payment_errc::invalid_argument, name() + " makes no refunds from here");
  }
  // The call that reads a refund made before back.
  virtual caf::expected<provider_exchange<provider_refund>> refund_status(
      const std::string&) const {
    return caf::make_error(payment_errc::invalid_argument, name() + " makes no refunds from here");
  }
};

}  // namespace vpnbot::payments
